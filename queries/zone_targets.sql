-- One entity's targets with their matched actuals; $status 'all' or one status.
-- Target columns carry the facts names (value, qualifier, period, quote …) so a target row
-- formats like any figure. The counts are over all of the entity's targets, before the filter.
WITH t AS (
    SELECT targets.* RENAME (target_value AS value, target_value_text AS value_text,
                             target_qualifier AS qualifier, target_period AS period, target_quote AS quote),
           f.data_line,
           count(*) OVER () AS n_targets,
           count(actual_figure_id) FILTER (WHERE actual_basis = 'actual') OVER () AS n_with_actual,
           count(actual_figure_id) FILTER (WHERE actual_basis = 'expected') OVER () AS n_with_forecast
    FROM targets
    JOIN facts f USING (figure_id)
    WHERE targets.entity = $entity
)
SELECT *
FROM t
WHERE $status = 'all' OR status = $status
ORDER BY list_position(['met', 'behind', 'in_progress', 'no_actual'], status), data_line
