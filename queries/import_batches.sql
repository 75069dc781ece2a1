-- The import log: every analyst batch, in force or reverted, newest first (from each batch.json).
SELECT *
FROM import_batches
ORDER BY batch DESC
