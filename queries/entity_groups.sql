-- Named things (no numbers) of the given kinds; names that one sentence gives together
-- (“拿地即开工”“十证齐发”, three communities) form one group with that sentence.
SELECT
    list(e.entity ORDER BY e.data_line) AS names,
    list(e.name_en ORDER BY e.data_line) AS names_en,
    e.kind, e.quote,
    s.short_zh AS source_short_zh, s.short_en AS source_short_en,
    min(e.data_line) AS data_line
FROM entities e
JOIN sources s USING (source_id)
WHERE list_contains($kinds, e.kind)
GROUP BY e.kind, e.quote, s.short_zh, s.short_en
ORDER BY e.kind, min(e.data_line)
