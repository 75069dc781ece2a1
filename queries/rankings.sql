-- The zone's national, provincial and city ranks (with totals and changes) by year.
SELECT *
FROM rankings
WHERE entity = $entity
ORDER BY indicator, year
