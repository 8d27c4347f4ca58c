-- An indicator's yearly values per sector (years ascending, sectors by their size in the
-- latest year, largest first), with each year's total.
-- $indicator_id
WITH latest AS (
    SELECT sector, value AS latest_value
    FROM indicator_values
    WHERE indicator_id = $indicator_id
        AND year = (SELECT max(year) FROM indicator_values WHERE indicator_id = $indicator_id)
)
SELECT
    v.year,
    v.sector,
    v.value,
    sum(v.value) OVER (PARTITION BY v.year) AS year_total
FROM indicator_values AS v
LEFT JOIN latest USING (sector)
WHERE v.indicator_id = $indicator_id
ORDER BY v.year, latest.latest_value DESC NULLS LAST, v.sector
