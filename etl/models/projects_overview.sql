-- One row per named project with its attributes and total investment (亿元) where a document gives it.
-- Outputs, taxes and capacities have different periods (per year once built, first 5 years …),
-- so they stay as figures in `facts` and are not put side by side as numbers here.
SELECT
    p.project, e.name_en AS project_en, p.industry, p.status, p.year, p.source_id, p.quote,
    s.short_zh AS source_short_zh, s.short_en AS source_short_en,
    inv.value AS investment_yi, inv.figure_id AS investment_figure_id,
    CASE WHEN inv.value IS NULL THEN 'undisclosed' WHEN inv.value >= 10 THEN 'large' ELSE 'medium' END AS size_band
FROM projects p
JOIN entities e ON e.entity = p.project
JOIN sources s ON s.source_id = p.source_id
LEFT JOIN facts inv ON inv.entity = p.project AND inv.indicator = 'project_investment' AND NOT inv.is_derived
