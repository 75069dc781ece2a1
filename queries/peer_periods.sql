-- The periods in which the zone and at least one peer (a peer zone or a group of parks) give an
-- amount of any of the given indicators, newest first (of periods ending the same day, the shortest).
SELECT period, max(period_end) AS period_end, min(period_start) AS period_start
FROM facts
WHERE list_contains($indicators, indicator) AND measure = 'level' AND basis = 'actual' AND NOT is_derived
  AND (entity = $entity OR entity_kind IN ('peer_zone', 'park_group'))
GROUP BY period
HAVING bool_or(entity = $entity) AND bool_or(entity_kind IN ('peer_zone', 'park_group'))
ORDER BY period_end DESC NULLS LAST, period_start DESC NULLS LAST, period
