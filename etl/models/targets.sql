-- Each target, with an actual only where a document gives one for the same
-- entity, indicator, measure and unit in the target's year (the latest such period).
SELECT
    t.figure_id, t.entity, t.indicator, t.indicator_zh, t.indicator_en, t.measure,
    t.value AS target_value, t.value_text AS target_value_text, t.unit, t.unit_en,
    t.qualifier AS target_qualifier, t.period AS target_period, t.quote AS target_quote,
    t.source_id, t.source_title_zh, t.source_title_en, t.source_short_zh, t.source_short_en,
    a.figure_id AS actual_figure_id, a.value AS actual_value, a.value_text AS actual_value_text,
    a.qualifier AS actual_qualifier, a.period AS actual_period, a.quote AS actual_quote,
    a.source_short_zh AS actual_source_short_zh, a.source_short_en AS actual_source_short_en,
    CASE
        WHEN a.figure_id IS NULL THEN 'no_actual'
        -- rates and shares compare directly; a part-year level does not measure a full-year goal
        WHEN t.measure IN ('growth', 'share') AND a.value >= t.value THEN 'met'
        WHEN t.measure IN ('growth', 'share') THEN 'behind'
        WHEN a.period_end >= t.period_end AND a.value >= t.value THEN 'met'
        ELSE 'in_progress'
    END AS status
FROM facts t
LEFT JOIN facts a
    ON a.basis IN ('actual', 'expected') AND NOT a.is_derived AND a.period_start IS NOT NULL
   AND a.entity = t.entity AND a.indicator = t.indicator AND a.measure = t.measure AND a.unit = t.unit
   AND year(a.period_end) = year(t.period_end)
WHERE t.basis = 'target'
-- ties (an actual and an expected for the same period) go to the actual, then the lower id: one answer per build
QUALIFY row_number() OVER (PARTITION BY t.figure_id
                           ORDER BY a.period_end DESC NULLS LAST, a.basis = 'actual' DESC, a.figure_id) = 1
ORDER BY t.figure_id
