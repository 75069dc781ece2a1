-- The watched entities' targets for a calendar year (an amount, a count or a growth), each with the
-- newest actual (sourced, basis actual: never a forecast) of the same entity, indicator, measure and
-- unit from the year's January that covers only part of the year; a target whose whole year has an
-- actual is judged met or behind on the targets page instead. The pace rule is dashboard/alerts.py's.
-- `newest`: the actual's period ends where the entity's newest figure of the indicator ends.
WITH t AS (
    SELECT figure_id, entity, indicator, measure, unit, period_start, period_end
    FROM facts
    WHERE NOT is_derived AND basis = 'target' AND list_contains($kinds, entity_kind) AND period_kind = 'year'
      AND measure IN ('level', 'count', 'growth')
), a AS (
    SELECT figure_id, entity, indicator, measure, unit, period_start, period_end,
           period_end = max(period_end) OVER (PARTITION BY entity, indicator) AS newest
    FROM facts
    WHERE NOT is_derived AND list_contains($kinds, entity_kind) AND basis = 'actual'
      AND period_kind IN ('month', 'months', 'year')
)
SELECT t.figure_id AS target_id, a.figure_id AS actual_id, a.period_end, a.newest,
       date_diff('month', t.period_start, a.period_end) + 1 AS months_done,
       date_diff('month', t.period_start, t.period_end) + 1 AS months_total
FROM t
JOIN a ON a.entity = t.entity AND a.indicator = t.indicator AND a.measure = t.measure AND a.unit = t.unit
      AND a.period_start = t.period_start AND a.period_end < t.period_end
WHERE NOT EXISTS (SELECT 1 FROM a whole WHERE whole.entity = t.entity AND whole.indicator = t.indicator
                  AND whole.measure = t.measure AND whole.unit = t.unit
                  AND whole.period_start <= t.period_start AND whole.period_end >= t.period_end)
QUALIFY row_number() OVER (PARTITION BY t.figure_id ORDER BY a.period_end DESC, a.figure_id) = 1
ORDER BY a.period_end DESC, t.figure_id
