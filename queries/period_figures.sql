-- One period's figures of the zone for the given indicators, each with the city rank the documents
-- give for it (a growth rate is ranked as <indicator>_growth, an amount or share as <indicator>).
-- Results only: a target or plan of the same period is never shown as what happened.
SELECT f.*, r.value AS city_rank, r.quote AS rank_quote
FROM facts f
LEFT JOIN facts r
    ON r.entity = f.entity AND r.period = f.period AND r.measure = 'rank' AND r.basis = 'actual'
   AND r.indicator = CASE WHEN f.measure = 'growth' THEN f.indicator || '_growth'
                          WHEN f.measure IN ('level', 'share') THEN f.indicator END
WHERE f.entity = $entity AND f.period = $period AND list_contains($indicators, f.indicator)
  AND f.measure IN ('level', 'share', 'growth', 'gap') AND NOT f.is_derived
  AND f.basis IN ('actual', 'expected')
ORDER BY list_position($indicators, f.indicator), list_position(['level', 'share', 'growth', 'gap'], f.measure)
