-- Each sourced rank with its total (N), the places moved and its position in the field (derived from
-- the rank and N): the top r/N when in the better half, else the bottom (N − r + 1)/N, the zone itself
-- counted at either end — 第143/160 is 倒数第18, the bottom 18/160 = 约11.3%.
SELECT
    r.figure_id, r.entity, r.entity_en, r.indicator, r.indicator_zh, r.indicator_en,
    r.period, year(r.period_end) AS year, r.value::INTEGER AS rank, r.rank_total,
    c.value::INTEGER AS rank_change, c.figure_id AS change_figure_id,
    -- one formula from either end: the zone is among the first r, or among the last N − r + 1 (itself counted)
    CASE WHEN r.rank_total IS NULL THEN NULL WHEN r.value <= r.rank_total - r.value + 1 THEN 'top' ELSE 'bottom' END
        AS position_side,
    CASE WHEN r.value <= r.rank_total - r.value + 1 THEN r.value ELSE r.rank_total - r.value + 1 END::INTEGER
        AS position_count,
    100.0 * position_count / r.rank_total AS position_exact,
    round(position_exact, 1) AS position_pct,  -- 约 where rounding changed it (18/160 = 11.25% → 约11.3%)
    r.quote, r.source_id, r.source_title_zh, r.source_title_en, r.source_short_zh, r.source_short_en, r.note, r.topic
FROM facts r
LEFT JOIN facts c
    ON c.measure = 'rank_change' AND c.entity = r.entity AND c.indicator = r.indicator
   AND c.period = r.period AND NOT c.is_derived
WHERE r.measure = 'rank' AND NOT r.is_derived
