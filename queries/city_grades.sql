-- The city's assessment grade (一等…四等) of the zone by year.
SELECT *
FROM facts
WHERE entity = $entity AND measure = 'grade'
ORDER BY period_end
