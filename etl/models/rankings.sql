-- Each sourced rank with its total (N), the places moved and its position in the field (derived from
-- rank ÷ N): the top p% when in the better half, else the bottom (100 − p)% — 第143/160 is the bottom 10.6%.
SELECT
    r.figure_id, r.entity, r.entity_en, r.indicator, r.indicator_zh, r.indicator_en,
    r.period, year(r.period_end) AS year, r.value::INTEGER AS rank, r.rank_total,
    c.value::INTEGER AS rank_change, c.figure_id AS change_figure_id,
    CASE WHEN r.rank_total IS NULL THEN NULL WHEN r.value / r.rank_total <= 0.5 THEN 'top' ELSE 'bottom' END
        AS position_side,
    CASE WHEN r.value / r.rank_total <= 0.5 THEN round(100.0 * r.value / r.rank_total, 1)
         ELSE round(100.0 * (r.rank_total - r.value) / r.rank_total, 1) END AS position_pct,
    r.quote, r.source_id, r.source_title_zh, r.source_title_en, r.source_short_zh, r.source_short_en, r.note, r.topic
FROM facts r
LEFT JOIN facts c
    ON c.measure = 'rank_change' AND c.entity = r.entity AND c.indicator = r.indicator
   AND c.period = r.period AND NOT c.is_derived
WHERE r.measure = 'rank' AND NOT r.is_derived
