-- One indicator and measure across entities (firms, peer zones, the zone) in one period ($period, or
-- the newest one when NULL: of periods ending the same day, the shortest), largest first: the $top
-- largest and those whose name contains $q; `of_all` counts every entity of the period. plot_value
-- puts every row in one display unit (value_base / $base_per_unit), so 亿美元 and 万美元 figures can
-- share an axis; labels keep each as written.
WITH f AS (
    SELECT * FROM facts
    WHERE indicator = $indicator AND measure = $measure AND NOT is_derived AND basis = 'actual'
), chosen AS (
    SELECT coalesce($period, (SELECT period FROM f ORDER BY period_end DESC NULLS LAST,
                                                     period_start DESC NULLS LAST, period LIMIT 1)) AS period
), ranked AS (
    SELECT *, row_number() OVER (ORDER BY value_base DESC, entity) AS nth, count(*) OVER () AS of_all
    FROM f WHERE period = (SELECT period FROM chosen)
)
SELECT *, value_base / $base_per_unit AS plot_value
FROM ranked
WHERE nth <= $top
   OR ($q <> '' AND (contains(lower(entity), lower($q)) OR contains(lower(coalesce(entity_en, '')), lower($q))))
ORDER BY value_base DESC, entity
