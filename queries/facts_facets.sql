-- The values each filter of the sources page offers, in display order, with labels and figure counts.
-- A derived figure's source_id lists its inputs' documents ("a,b").
SELECT 'topic' AS facet, topic AS value, NULL AS label_zh, NULL AS label_en, count(*) AS n,
       list_position(['economy', 'clusters', 'projects', 'trade', 'party_services', 'benchmarks', 'targets', 'history'], topic)::BIGINT AS pos
FROM facts GROUP BY topic
UNION ALL
SELECT 'doc', source_id, short_zh, short_en,
       (SELECT count(*) FROM facts f WHERE list_contains(string_split(f.source_id, ','), s.source_id)), year
FROM sources s
UNION ALL
-- chronological; periods without dates (建成后 …) last
SELECT 'period', period, NULL, NULL, count(*), CAST(strftime(max(period_end), '%Y%m%d') AS BIGINT)
FROM facts GROUP BY period
UNION ALL
-- most figures first (the zone)
SELECT 'entity', entity, entity, any_value(entity_en), count(*), -count(*)
FROM facts GROUP BY entity
ORDER BY facet, pos NULLS LAST, value
