-- An indicator's values: year, month (0 for a yearly value), sector (the breakdown's category, ''
-- without one), value, is_preliminary, source, and each period's total over the breakdown. Periods
-- ascending; categories by their size in the latest period, largest first.
-- $indicator_id
WITH latest AS (
    SELECT sector, value AS latest_value
    FROM indicator_values
    WHERE indicator_id = $indicator_id
        AND year * 100 + month = (
            SELECT max(year * 100 + month) FROM indicator_values WHERE indicator_id = $indicator_id
        )
)
SELECT
    v.year,
    v.month,
    v.sector,
    v.value,
    v.is_preliminary,
    v.source,
    sum(v.value) OVER (PARTITION BY v.year, v.month) AS period_total
FROM indicator_values AS v
LEFT JOIN latest USING (sector)
WHERE v.indicator_id = $indicator_id
ORDER BY v.year, v.month, latest.latest_value DESC NULLS LAST, v.sector
