-- The given entities' figures of one period for the given indicators (a comparison table's rows).
SELECT *
FROM facts
WHERE list_contains($entities, entity) AND list_contains($indicators, indicator) AND period = $period
ORDER BY list_position($indicators, indicator), list_position(['level', 'count', 'growth', 'share'], measure), list_position($entities, entity)
