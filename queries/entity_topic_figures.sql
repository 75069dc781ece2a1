-- All sourced figures of one entity on a topic, every period, in the order they were filed.
SELECT *
FROM facts
WHERE entity = $entity AND topic = $topic AND NOT is_derived
ORDER BY data_file, data_line, figure_id
