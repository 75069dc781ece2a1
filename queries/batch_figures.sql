-- The figures one import batch brought (new or corrected), as the screens show them.
SELECT *
FROM facts
WHERE batch = $batch
ORDER BY data_line
