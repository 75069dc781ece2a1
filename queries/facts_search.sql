-- One page of the figures matching the filters and every search word, with how many match in all.
-- An empty list means "any". $words are lower case; each must occur in the figure's quote,
-- indicator, entity, period, number as written, label, formula or id (chr(31) keeps a word from
-- matching across two fields; the text is joined once per row, not once per word).
-- A derived figure's source_id lists its inputs' documents ("a,b").
WITH searched AS (
    SELECT *, lower(concat_ws(chr(31), quote, indicator, indicator_zh, indicator_en, entity, entity_en, period,
                              value_text, label_zh, label_en, formula, figure_id)) AS haystack
    FROM facts
)
SELECT * EXCLUDE (haystack), count(*) OVER () AS n_match
FROM searched
WHERE (len($topics) = 0 OR list_contains($topics, topic))
  AND (len($docs) = 0 OR list_has_any($docs, string_split(source_id, ',')))
  AND (len($periods) = 0 OR list_contains($periods, period))
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($words) = 0 OR list_bool_and([contains(haystack, w) for w in $words]))
ORDER BY is_derived, data_file, data_line
LIMIT $limit OFFSET $offset
