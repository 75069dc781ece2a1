-- The periods in which the zone has economic-operation results (actual or expected, never a target or plan),
-- newest first; of periods ending on the same day the shortest comes first (2034年12月 before
-- 2034年1-12月 and 2034年), so the default is the newest month. Undated periods last.
SELECT period, max(period_end) AS period_end, min(period_start) AS period_start, any_value(period_kind) AS period_kind
FROM facts
WHERE entity = $entity AND topic = 'economy' AND list_contains($indicators, indicator) AND NOT is_derived
  AND basis IN ('actual', 'expected')
GROUP BY period
ORDER BY period_end DESC NULLS LAST, period_start DESC NULLS LAST, period
