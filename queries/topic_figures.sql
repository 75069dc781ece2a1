-- All figures of one topic, sourced and derived, in the order the documents give them.
SELECT *
FROM facts
WHERE topic = $topic
ORDER BY data_file, data_line
