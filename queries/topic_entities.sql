-- The firms and parks (not the zone, the city or a peer zone) with sourced figures on a topic, the
-- newest document first, then in the order its figures were filed; `total` counts them all, so a page
-- shows the first $limit and says how many more there are.
SELECT entity, any_value(entity_en) AS entity_en, count(*) OVER () AS total
FROM facts
WHERE topic = $topic AND entity_kind IN ('enterprise', 'other') AND NOT is_derived
GROUP BY entity
ORDER BY max(source_year) DESC, min(data_file), min(data_line), entity
LIMIT $limit
