-- Each sourced rank with its total (N), the places moved and its percentile (derived: rank ÷ N).
SELECT
    r.figure_id, r.entity, r.entity_en, r.indicator, r.indicator_zh, r.indicator_en,
    r.period, year(r.period_end) AS year, r.value::INTEGER AS rank, r.rank_total,
    c.value::INTEGER AS rank_change, c.figure_id AS change_figure_id,
    round(100.0 * r.value / r.rank_total, 1) AS percentile,
    r.quote, r.source_id, r.source_title_zh, r.source_title_en, r.source_short_zh, r.source_short_en, r.note, r.topic
FROM facts r
LEFT JOIN facts c
    ON c.measure = 'rank_change' AND c.entity = r.entity AND c.indicator = r.indicator
   AND c.period = r.period AND NOT c.is_derived
WHERE r.measure = 'rank' AND NOT r.is_derived
