-- Time series: the given entities' results (actuals, sourced or derived) for the given indicators in
-- calendar periods, oldest first. series_kind keeps single months (month), year-to-date sums from
-- January (months, 1-N月), whole years (year) and other spans (span, e.g. 下半年) apart: a line
-- never joins periods of different kinds; span_months is a period's length.
SELECT *,
       CASE WHEN period_kind = 'months' AND month(period_start) <> 1 THEN 'span' ELSE period_kind END AS series_kind,
       date_diff('month', period_start, period_end) + 1 AS span_months
FROM facts
WHERE list_contains($entities, entity) AND list_contains($indicators, indicator)
  AND basis = 'actual' AND measure IN ('level', 'share', 'growth')
  AND period_kind IN ('month', 'months', 'year')
ORDER BY list_position($indicators, indicator), list_position($entities, entity), period_end, period_start
