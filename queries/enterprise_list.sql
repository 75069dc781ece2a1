-- The enterprise list of the speech deck, as its rows are written.
SELECT e.seq_no, e.city, e.name, e.quote, s.short_zh AS source_short_zh, s.short_en AS source_short_en,
       e.data_file, e.data_line
FROM enterprises e
JOIN sources s USING (source_id)
ORDER BY e.seq_no
