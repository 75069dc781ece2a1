-- Peer zones that overtook the zone: in a period a peer zone's amount of the indicator is above the
-- zone's, while in the previous period of the same kind and length it was not (amounts compared in
-- their base unit; a group of parks is not a zone and is never counted). Oldest first.
-- `newest`: the period ends where the zone's newest compared amount of the indicator ends.
WITH f AS (
    SELECT figure_id, entity, entity_kind, indicator, value_base, period_start, period_end, period_kind,
           date_diff('month', period_start, period_end) + 1 AS span
    FROM facts
    WHERE list_contains($indicators, indicator) AND measure = 'level' AND basis = 'actual' AND NOT is_derived
      AND (list_contains($kinds, entity_kind) OR entity_kind = 'peer_zone')
      AND period_kind IN ('month', 'months', 'year')
    QUALIFY row_number() OVER (PARTITION BY entity, indicator, period_start, period_end
                               ORDER BY source_year DESC, figure_id DESC) = 1
), duel AS (
    SELECT z.indicator, z.period_start, z.period_end, z.period_kind, z.span, z.figure_id AS zone_id,
           p.entity AS peer, p.figure_id AS peer_id, p.value_base > z.value_base AS ahead,
           z.period_end = max(z.period_end) OVER (PARTITION BY z.entity, z.indicator) AS newest
    FROM f z
    JOIN f p ON p.entity_kind = 'peer_zone' AND p.indicator = z.indicator
            AND p.period_start = z.period_start AND p.period_end = z.period_end
    WHERE list_contains($kinds, z.entity_kind)
)
SELECT c.zone_id, c.peer_id, b.zone_id AS prev_zone_id, b.peer_id AS prev_peer_id, c.period_end, c.newest
FROM duel c
JOIN duel b
  ON b.peer = c.peer AND b.indicator = c.indicator AND b.period_kind = c.period_kind AND b.span = c.span
 AND b.period_start = (c.period_start - CASE WHEN c.period_kind = 'month' THEN INTERVAL 1 MONTH
                                            ELSE INTERVAL 12 MONTH END)::DATE
WHERE c.ahead AND NOT b.ahead
ORDER BY c.period_end DESC, c.peer_id
