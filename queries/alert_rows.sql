-- The facts rows an alert names, by id: sourced figures of the watched entities and the peer zones
-- ($kinds). Filtered on those before the ids: on a 2M-row history facts_by_id reads every row.
SELECT *
FROM facts
WHERE NOT is_derived AND list_contains($kinds, entity_kind) AND list_contains($ids, figure_id)
