-- One indicator's amounts of the zone and its peers in one period, largest first: the $top largest,
-- the zone, and those whose name contains $q. plot_value puts every row in one display unit
-- (value_base / $base_per_unit). place / places: a single zone's place among the single zones
-- (a group of parks is a total, never ranked beside one zone).
WITH f AS (
    SELECT * FROM facts
    WHERE indicator = $indicator AND measure = 'level' AND period = $period AND basis = 'actual'
      AND NOT is_derived AND (entity = $entity OR entity_kind IN ('peer_zone', 'park_group'))
), ranked AS (
    SELECT *,
           CASE WHEN entity_kind <> 'park_group' THEN rank() OVER (PARTITION BY entity_kind = 'park_group' ORDER BY value_base DESC) END AS place,
           count(*) FILTER (WHERE entity_kind <> 'park_group') OVER () AS places,
           row_number() OVER (ORDER BY value_base DESC) AS nth
    FROM f
)
SELECT *, value_base / $base_per_unit AS plot_value
FROM ranked
WHERE nth <= $top OR entity = $entity
   OR ($q <> '' AND (contains(lower(entity), lower($q)) OR contains(lower(coalesce(entity_en, '')), lower($q))))
ORDER BY value_base DESC
