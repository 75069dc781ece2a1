-- The figures of named projects, each assigned to a column of the project table, with a short label
-- (the indicator name without its "项目"/"Project" prefix).
SELECT *,
    CASE WHEN indicator = 'project_investment' THEN 'investment'
         WHEN indicator IN ('project_output', 'project_sales') THEN 'output'
         WHEN indicator IN ('project_tax', 'project_profit_tax') THEN 'tax'
         ELSE 'capacity' END AS table_column,
    regexp_replace(indicator_zh, '^项目', '') AS short_zh,
    regexp_replace(indicator_en, '^Project ', '') AS short_en
FROM facts
WHERE entity_kind = 'project' AND NOT is_derived
ORDER BY entity, table_column, indicator
