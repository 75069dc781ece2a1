-- One row per figure: sourced figures as written, then derived ones with their formula.
-- value_base converts to the base unit (亿元 → 元, 万美元 → 美元 …) for comparisons.
SELECT
    f.figure_id, FALSE AS is_derived,
    f.source_id, s.title_zh AS source_title_zh, s.title_en AS source_title_en,
    s.short_zh AS source_short_zh, s.short_en AS source_short_en, s.year AS source_year,
    f.quote, NULL::VARCHAR AS formula, NULL::VARCHAR AS label_zh, NULL::VARCHAR AS label_en,
    f.value_text, f.value, f.unit, u.unit_en, f.qualifier,
    f.value * u.factor AS value_base, u.base_unit,
    f.measure, f.basis, f.period, f.period_start::DATE AS period_start, f.period_end::DATE AS period_end, f.period_kind,
    f.entity, e.name_en AS entity_en, e.kind AS entity_kind,
    f.indicator, i.name_zh AS indicator_zh, i.name_en AS indicator_en,
    f.topic, f.rank_total, f.note, f.data_file, f.data_line, f.batch
FROM figures f
JOIN sources s USING (source_id)
JOIN units u USING (unit)
JOIN entities e USING (entity)
JOIN indicators i USING (indicator)
UNION ALL
SELECT
    d.figure_id, TRUE,
    inp.source_id, inp.source_title_zh, inp.source_title_en,
    inp.source_short_zh, inp.source_short_en, inp.source_year,
    NULL, d.formula, d.label_zh, d.label_en,
    -- rounded to what its inputs support; 约 when an input is approximate (余, 以上, 五分之一 …) or it was rounded
    d.value_text, d.value, d.unit, u.unit_en, d.qualifier,
    d.value * u.factor, u.base_unit,
    d.measure, inp.basis, d.period, d.period_start::DATE, d.period_end::DATE, d.period_kind,
    d.entity, e.name_en, e.kind,
    d.indicator, i.name_zh, i.name_en,
    d.topic, NULL, d.note, d.data_file, d.data_line, ''
FROM derived_figures d
JOIN units u USING (unit)
JOIN entities e USING (entity)
JOIN indicators i USING (indicator)
JOIN (
    SELECT d2.figure_id,
           string_agg(DISTINCT x.source_id, ',' ORDER BY x.source_id) AS source_id,
           string_agg(DISTINCT s.title_zh, '；' ORDER BY s.title_zh) AS source_title_zh,
           string_agg(DISTINCT s.title_en, '; ' ORDER BY s.title_en) AS source_title_en,
           string_agg(DISTINCT s.short_zh, '；' ORDER BY s.short_zh) AS source_short_zh,
           string_agg(DISTINCT s.short_en, '; ' ORDER BY s.short_en) AS source_short_en,
           max(s.year) AS source_year,
           min(x.basis) AS basis
    FROM derived_figures d2
    JOIN figures x ON list_contains(d2.inputs, x.figure_id)
    JOIN sources s ON s.source_id = x.source_id
    GROUP BY d2.figure_id
) inp USING (figure_id)
