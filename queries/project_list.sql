-- Named projects with the English name of their industry, filtered by industry, size band, year
-- and status (an empty list means no filter); with the project another sentence is inferred to
-- name (推断: e.g. 百思特游艇 of 2024 = 百思特高端游艇研发制造项目 of 2022), read both ways.
SELECT p.*, c.name_en AS industry_en,
       inf.other AS inferred_same_as, o.name_en AS inferred_same_as_en, inf.other_quote AS inferred_quote,
       s.short_zh AS inferred_source_short_zh, s.short_en AS inferred_source_short_en, inf.reason AS inferred_reason, inf.reason_en AS inferred_reason_en
FROM projects_overview p
LEFT JOIN entities c ON c.entity = p.industry AND c.kind = 'cluster'
LEFT JOIN (
    SELECT subject AS project, value AS other, other_quote, other_source_id AS source_id, reason, reason_en
    FROM inferences WHERE attribute = 'same_as'
    UNION ALL
    SELECT value, subject, quote, source_id, reason, reason_en FROM inferences WHERE attribute = 'same_as'
) inf ON inf.project = p.project
LEFT JOIN entities o ON o.entity = inf.other
LEFT JOIN sources s ON s.source_id = inf.source_id
WHERE (len($industries) = 0 OR list_contains($industries, p.industry))
  AND (len($sizes) = 0 OR list_contains($sizes, p.size_band))
  AND (len($years) = 0 OR list_contains($years, p.year))
  AND (len($statuses) = 0 OR list_contains($statuses, p.status))
ORDER BY p.year DESC, p.investment_yi DESC NULLS LAST, p.project
