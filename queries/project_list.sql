-- Named projects with the English name of their industry, filtered by industry, size band, year
-- and status (an empty list means no filter).
SELECT p.*, c.name_en AS industry_en
FROM projects_overview p
LEFT JOIN entities c ON c.entity = p.industry AND c.kind = 'cluster'
WHERE (len($industries) = 0 OR list_contains($industries, p.industry))
  AND (len($sizes) = 0 OR list_contains($sizes, p.size_band))
  AND (len($years) = 0 OR list_contains($years, p.year))
  AND (len($statuses) = 0 OR list_contains($statuses, p.status))
ORDER BY p.year DESC, p.investment_yi DESC NULLS LAST, p.project
