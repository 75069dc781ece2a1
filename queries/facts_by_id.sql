-- Figures by id (the provenance of a chart built from another view).
SELECT *
FROM facts
WHERE list_contains($ids, figure_id)
ORDER BY list_position($ids, figure_id)
