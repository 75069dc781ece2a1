-- Every named thing with the sentence naming it, matching the search text ('' = all).
SELECT e.entity, e.name_en, e.kind, e.quote, s.short_zh AS source_short_zh, s.short_en AS source_short_en,
       e.data_file, e.data_line
FROM entities e
JOIN sources s USING (source_id)
WHERE $q = '' OR list_bool_or([contains(lower(coalesce(x, '')), lower($q)) for x in [e.entity, e.name_en, e.quote]])
ORDER BY e.kind, e.data_line
