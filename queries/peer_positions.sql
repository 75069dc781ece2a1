-- The zone's place among the single zones (itself and its peer zones) that give an amount of the
-- indicator in a period, per calendar period with at least two of them, oldest first: derived from
-- the amounts (rank by value), never written in a document.
WITH f AS (
    SELECT *, CASE WHEN period_kind = 'months' AND month(period_start) <> 1 THEN 'span' ELSE period_kind END AS series_kind
    FROM facts
    WHERE indicator = $indicator AND measure = 'level' AND basis = 'actual' AND NOT is_derived
      AND (entity = $entity OR entity_kind = 'peer_zone') AND period_kind IN ('month', 'months', 'year')
), ranked AS (
    SELECT *, rank() OVER (PARTITION BY period ORDER BY value_base DESC) AS place,
           count(*) OVER (PARTITION BY period) AS places
    FROM f
)
SELECT * FROM ranked
WHERE entity = $entity AND places > 1
ORDER BY period_end, period_start
