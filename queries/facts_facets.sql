-- The values each filter of the sources page offers, in display order, with labels and figure counts.
-- The facts view is read once (each facet would otherwise compute it again).
-- A derived figure's source_id lists its inputs' documents ("a,b").
WITH f AS MATERIALIZED (SELECT topic, source_id, period, period_end, entity, entity_en FROM facts)
SELECT 'topic' AS facet, topic AS value, NULL AS label_zh, NULL AS label_en, count(*) AS n,
       list_position(['economy', 'clusters', 'projects', 'trade', 'party_services', 'benchmarks', 'targets', 'history'], topic)::BIGINT AS pos
FROM f GROUP BY topic
UNION ALL
SELECT 'doc', s.source_id, s.short_zh, s.short_en, count(d.source_id), s.year
FROM sources s LEFT JOIN (SELECT unnest(string_split(source_id, ',')) AS source_id FROM f) d USING (source_id)
GROUP BY s.source_id, s.short_zh, s.short_en, s.year
UNION ALL
-- chronological; periods without dates (建成后 …) last
SELECT 'period', period, NULL, NULL, count(*), CAST(strftime(max(period_end), '%Y%m%d') AS BIGINT)
FROM f GROUP BY period
UNION ALL
-- most figures first (the zone)
SELECT 'entity', entity, entity, any_value(entity_en), count(*), -count(*)
FROM f GROUP BY entity
ORDER BY facet, pos NULLS LAST, value
