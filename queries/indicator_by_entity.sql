-- One indicator and measure across entities (firms, peer zones, the zone) in one period ($period, or
-- the newest one when NULL), largest first. plot_value puts every row in one display unit
-- (value_base / $base_per_unit), so 亿美元 and 万美元 figures can share an axis; labels keep each as written.
WITH f AS (
    SELECT * FROM facts
    WHERE indicator = $indicator AND measure = $measure AND NOT is_derived
)
SELECT *, value_base / $base_per_unit AS plot_value
FROM f
WHERE period = coalesce($period, (SELECT arg_max(period, period_end) FROM f))
ORDER BY value_base DESC
