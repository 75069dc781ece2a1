-- The source documents (without their text: source_text gives one when asked), newest first, with
-- how many sourced figures each gives.
SELECT s.source_id, s.title_zh, s.title_en, s.short_zh, s.short_en, s.year, s.kind,
       (SELECT count(*) FROM facts f WHERE f.source_id = s.source_id AND NOT f.is_derived) AS n_figures
FROM sources s
ORDER BY s.year DESC, s.source_id
