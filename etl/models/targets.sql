-- Each target, with an actual only where a document gives one for the same
-- entity, indicator, measure and unit in the target's year (the latest such period).
-- A target is judged (met / behind) only by an actual (basis = 'actual') that covers the target's
-- whole period; a part-year actual or a forecast (预计) is progress, never met.
SELECT
    t.figure_id, t.entity, t.indicator, t.indicator_zh, t.indicator_en, t.measure, t.basis,
    t.value AS target_value, t.value_text AS target_value_text, t.unit, t.unit_en,
    t.qualifier AS target_qualifier, t.period AS target_period, t.quote AS target_quote,
    t.source_id, t.source_title_zh, t.source_title_en, t.source_short_zh, t.source_short_en,
    a.figure_id AS actual_figure_id, a.value AS actual_value, a.value_text AS actual_value_text,
    a.qualifier AS actual_qualifier, a.period AS actual_period, a.quote AS actual_quote, a.basis AS actual_basis,
    a.source_short_zh AS actual_source_short_zh, a.source_short_en AS actual_source_short_en,
    a.basis = 'actual' AND a.period_start <= t.period_start AND a.period_end >= t.period_end AS actual_covers,
    CASE
        WHEN a.figure_id IS NULL THEN 'no_actual'
        WHEN NOT actual_covers THEN 'in_progress'
        WHEN a.value >= t.value THEN 'met'
        ELSE 'behind'
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
