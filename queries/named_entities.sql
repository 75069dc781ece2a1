-- The entities of a kind that the quote of the zone's figure for an indicator names, in the order
-- the quote names them (e.g. the firms in "乖宝集团、韩国希杰集团……等10余家企业").
SELECT *
FROM (
    SELECT e.*, s.short_zh AS source_short_zh, s.short_en AS source_short_en,
           min(strpos(f.quote, e.entity)) OVER (PARTITION BY e.entity) AS position,
           row_number() OVER (PARTITION BY e.entity) AS nth
    FROM facts f
    JOIN entities e ON e.kind = $kind AND contains(f.quote, e.entity)
    JOIN sources s ON s.source_id = e.source_id
    WHERE f.entity = $entity AND f.indicator = $indicator AND NOT f.is_derived
)
WHERE nth = 1
ORDER BY position
