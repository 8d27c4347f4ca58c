-- An organisation's emissions per year and sector of level $level (1, 2 or 3) under the reading
-- $reading ('total', 'non_ets', 'hinku' or 'hinku_no_credits'; the macro emission_value):
-- year, sector (SYKE's Finnish name), kt, is_preliminary. A sector without a value that year
-- (its rows say NA, or none count under the reading) has no row. Years ascending, sectors by
-- their size in the last year, largest first (credits, being negative, last).
-- $organisation_id, $level, $reading
WITH sectors AS (
    SELECT
        year,
        CASE $level WHEN 1 THEN level_1 WHEN 2 THEN level_2 ELSE level_3 END AS sector,
        sum(emission_value($reading, kt, kt_wind, is_hinku, is_ets, is_credit)) AS kt,
        bool_or(is_preliminary) AS is_preliminary
    FROM emission_rows
    WHERE organisation_id = $organisation_id
    GROUP BY ALL
    HAVING kt IS NOT NULL
),
latest AS (
    SELECT sector, kt AS latest_kt
    FROM sectors
    WHERE year = (SELECT max(year) FROM sectors)
)
SELECT s.year, s.sector, s.kt, s.is_preliminary
FROM sectors AS s
LEFT JOIN latest USING (sector)
ORDER BY s.year, latest.latest_kt DESC NULLS LAST, s.sector
