-- Tax and investment intensity per mu (亩均) of the zone and Zoucheng.
-- Zoucheng's tax is derived from “五分之一”, an approximate ratio, so it keeps the 约
-- its note gives (the build only marks figures derived from qualified inputs).
SELECT * REPLACE (CASE WHEN is_derived AND note LIKE '约%' THEN '约' ELSE qualifier END AS qualifier)
FROM facts
WHERE indicator IN ('tax_per_mu', 'investment_per_mu')
ORDER BY indicator, measure, is_derived, entity
