-- The organisation's emissions against its target, per year (docs/emissions.md): actual, the
-- value of the reading its emissions indicator follows (emission_value); target_line, straight
-- from the base year's value to the target (base × (1 − reduction %)) in the target year;
-- required_path, straight from the last actual year to the target; pace_path, where the pace of
-- the last $pace_years years leads (the pace: the yearly change from the first year with a value
-- in that window to the last actual year). Every row repeats the summary: reading, base_year,
-- base_value (NULL when the base year has no value), target_year, target_reduction_pct,
-- target_value, last_year, last_value, pace_from, pace_per_year (NULL with fewer than two years in
-- the window), projected (at the target year, NULL unless the target year is after the last one),
-- gap = projected − target_value (positive: missed by that much), required_per_year. No rows
-- when the organisation has no emissions indicator or no value.
-- $organisation_id, $pace_years
WITH spec AS (
    SELECT
        coalesce(emission_reading, 'hinku') AS reading,
        base_year,
        target_year,
        target_reduction_pct
    FROM indicators
    WHERE organisation_id = $organisation_id AND role = 'emissions'
    ORDER BY id
    LIMIT 1
),
series AS (
    SELECT
        r.year,
        sum(emission_value(spec.reading, r.kt, r.kt_wind, r.is_hinku, r.is_ets, r.is_credit)) AS actual,
        bool_or(r.is_preliminary) AS is_preliminary
    FROM emission_rows AS r, spec
    WHERE r.organisation_id = $organisation_id
    GROUP BY r.year
),
measured AS (
    SELECT year, actual FROM series WHERE actual IS NOT NULL
),
latest AS (
    SELECT year AS last_year, actual AS last_value FROM measured ORDER BY year DESC LIMIT 1
),
pace_start AS (
    SELECT m.year AS pace_from, m.actual AS pace_from_value
    FROM measured AS m, latest
    WHERE m.year >= latest.last_year - $pace_years + 1 AND m.year < latest.last_year
    ORDER BY m.year
    LIMIT 1
),
summary AS (
    SELECT
        spec.*,
        base.actual AS base_value,
        base.actual * (100 - spec.target_reduction_pct) / 100 AS target_value,
        latest.last_year,
        latest.last_value,
        pace_start.pace_from,
        (latest.last_value - pace_start.pace_from_value) / (latest.last_year - pace_start.pace_from) AS pace_per_year
    FROM spec
    CROSS JOIN latest
    LEFT JOIN measured AS base ON base.year = spec.base_year
    LEFT JOIN pace_start ON true
),
full_summary AS (
    SELECT
        *,
        CASE WHEN target_year > last_year THEN last_value + pace_per_year * (target_year - last_year) END AS projected,
        CASE WHEN target_year > last_year THEN (target_value - last_value) / (target_year - last_year) END
            AS required_per_year
    FROM summary
),
years AS (
    SELECT unnest(generate_series(
        least((SELECT min(year) FROM series), coalesce(base_year, last_year)),
        greatest(last_year, coalesce(target_year, last_year))
    )) AS year
    FROM full_summary
)
SELECT
    y.year,
    s.actual,
    s.is_preliminary,
    CASE WHEN y.year BETWEEN m.base_year AND m.target_year AND m.target_year > m.base_year THEN
        round(m.base_value + (m.target_value - m.base_value) * (y.year - m.base_year) / (m.target_year - m.base_year), 6)
    END AS target_line,
    CASE WHEN y.year BETWEEN m.last_year AND m.target_year AND m.target_year > m.last_year THEN
        round(m.last_value + (m.target_value - m.last_value) * (y.year - m.last_year) / (m.target_year - m.last_year), 6)
    END AS required_path,
    CASE WHEN y.year BETWEEN m.last_year AND m.target_year AND m.target_year > m.last_year THEN
        round(m.last_value + m.pace_per_year * (y.year - m.last_year), 6)
    END AS pace_path,
    m.reading,
    m.base_year,
    m.base_value,
    m.target_year,
    m.target_reduction_pct,
    round(m.target_value, 6) AS target_value,
    m.last_year,
    m.last_value,
    m.pace_from,
    round(m.pace_per_year, 6) AS pace_per_year,
    round(m.projected, 6) AS projected,
    round(m.projected - m.target_value, 6) AS gap,
    round(m.required_per_year, 6) AS required_per_year
FROM years AS y
CROSS JOIN full_summary AS m
LEFT JOIN series AS s USING (year)
ORDER BY y.year
