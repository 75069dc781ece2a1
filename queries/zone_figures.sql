-- All figures of one entity for the given indicators, every period; pages pick the newest.
SELECT *
FROM facts
WHERE entity = $entity AND list_contains($indicators, indicator)
ORDER BY indicator, measure, period_end NULLS FIRST, figure_id
