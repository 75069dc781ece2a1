-- Every figure matching the search text and filters; an empty list means "any".
-- A derived figure's source_id lists its inputs' documents ("a,b").
SELECT *
FROM facts
WHERE (len($topics) = 0 OR list_contains($topics, topic))
  AND (len($docs) = 0 OR list_has_any($docs, string_split(source_id, ',')))
  AND (len($periods) = 0 OR list_contains($periods, period))
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND ($q = '' OR list_bool_or([contains(lower(coalesce(x, '')), lower($q)) for x in
       [quote, indicator, indicator_zh, indicator_en, entity, entity_en, figure_id, value_text,
        label_zh, label_en, formula]]))
ORDER BY is_derived, data_file, data_line
