-- One source document's full text.
SELECT source_id, text FROM sources WHERE source_id = $source_id
