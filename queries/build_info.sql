-- What the dashboard is showing: figure counts and the newest period in the data.
SELECT
    (SELECT count(*) FROM facts WHERE NOT is_derived) AS sourced,
    (SELECT count(*) FROM facts WHERE is_derived) AS derived,
    (SELECT max(period_end) FROM facts WHERE basis = 'actual' AND period_end IS NOT NULL AND period_kind <> 'as_of') AS newest_end,
    (SELECT arg_max(period, period_end) FROM facts WHERE basis = 'actual' AND period_kind IN ('months', 'month')) AS newest_period,
    (SELECT input_digest FROM build_info) AS input_digest
