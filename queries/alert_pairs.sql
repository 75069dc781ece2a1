-- Each actual figure of the measures $measures (growth, gap, rank) of the watched entity kinds,
-- beside the previous period of the same kind and length (a month: the month before; 1-N月, a year,
-- a span: the same months a year earlier; never 1-5月 beside 1-10月), with a written rank change of
-- the same period. One scan for the three measures (a 2M-row history's facts view is read once).
-- `newest`: the figure's period ends where the entity's newest figure of the indicator ends.
-- The rules' thresholds are applied by dashboard/alerts.py (dashboard/alerts.toml).
WITH f AS (
    SELECT figure_id, entity, indicator, measure, value, period_start, period_end, period_kind,
           date_diff('month', period_start, period_end) + 1 AS span
    FROM facts
    WHERE NOT is_derived AND list_contains($measures, measure) AND basis = 'actual'
      AND list_contains($kinds, entity_kind) AND period_kind IN ('month', 'months', 'year')
    -- a period restated by a later document: the later one
    QUALIFY row_number() OVER (PARTITION BY entity, indicator, measure, period_start, period_end
                               ORDER BY source_year DESC, figure_id DESC) = 1
), g AS (
    SELECT *, period_end = max(period_end) OVER (PARTITION BY entity, indicator, measure) AS newest FROM f
)
SELECT c.measure, c.figure_id, c.value, c.period_end, c.newest, p.figure_id AS prev_id, p.value AS prev_value,
       chg.figure_id AS change_id, chg.value AS change_value
FROM g c
LEFT JOIN g p
  ON p.entity = c.entity AND p.indicator = c.indicator AND p.measure = c.measure
 AND p.period_kind = c.period_kind AND p.span = c.span
 AND p.period_start = (c.period_start - CASE WHEN c.period_kind = 'month' THEN INTERVAL 1 MONTH
                                            ELSE INTERVAL 12 MONTH END)::DATE
LEFT JOIN facts chg
  ON c.measure = 'rank' AND chg.measure = 'rank_change' AND chg.entity = c.entity AND chg.indicator = c.indicator
 AND chg.period_start = c.period_start AND chg.period_end = c.period_end AND NOT chg.is_derived
ORDER BY c.period_end DESC, c.figure_id
