-- The watched entities' newest reported figures (actual, sourced, of a month or months from January:
-- the reporting rhythm's periods), the first few by id: what the stale-data alert names.
SELECT *
FROM facts
WHERE NOT is_derived AND list_contains($kinds, entity_kind) AND basis = 'actual' AND period_kind IN ('month', 'months')
QUALIFY period_end = max(period_end) OVER ()
ORDER BY figure_id
LIMIT $limit
