-- The periods in which the zone has economic-operation figures (topic economy), newest first.
SELECT period, max(period_end) AS period_end, min(period_start) AS period_start
FROM facts
WHERE entity = $entity AND topic = 'economy' AND list_contains($indicators, indicator) AND NOT is_derived
GROUP BY period
ORDER BY period_end DESC, period_start
