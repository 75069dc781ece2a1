-- The source documents with their full text and how many sourced figures each gives.
SELECT s.source_id, s.title_zh, s.title_en, s.short_zh, s.short_en, s.year, s.kind, s.note, s.text,
       (SELECT count(*) FROM facts f WHERE f.source_id = s.source_id AND NOT f.is_derived) AS n_figures
FROM sources s
ORDER BY s.year
