-- The zone's figures of a topic that the documents give for more than one period (same indicator
-- and measure), to put the periods side by side.
WITH f AS (
    SELECT * FROM facts
    WHERE entity = $entity AND topic = $topic AND basis = 'actual' AND NOT is_derived
      AND measure IN ('level', 'growth', 'share')
)
SELECT f.*
FROM f
JOIN (SELECT indicator, measure FROM f GROUP BY ALL HAVING count(DISTINCT period) > 1) USING (indicator, measure)
ORDER BY indicator, list_position(['level', 'share', 'growth'], measure), period_end, period_start
