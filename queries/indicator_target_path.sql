-- A yearly indicator's total per year against its reduction target: a straight line from the base
-- year's total down by target_reduction_pct by the target year. One row per year from the base
-- year to the later of the target year and the last measured year; actual is NULL for years
-- without values, target NULL after the target year; gap = actual - target. No rows when the
-- indicator has no target, is monthly, or has no value for its base year.
-- $indicator_id
WITH totals AS (
    SELECT year, sum(value) AS actual
    FROM indicator_values
    WHERE indicator_id = $indicator_id AND month = 0
    GROUP BY year
),
spec AS (
    SELECT i.base_year, i.target_year, i.target_reduction_pct / 100 AS reduction, base.actual AS base_total
    FROM indicators AS i
    JOIN totals AS base ON base.year = i.base_year
    WHERE i.id = $indicator_id
        AND i.frequency = 'yearly'
        AND i.target_year > i.base_year
        AND i.target_reduction_pct IS NOT NULL
),
years AS (
    SELECT spec.*, y.year
    FROM spec,
        generate_series(spec.base_year, greatest(spec.target_year, (SELECT max(year) FROM totals))) AS y(year)
)
SELECT
    years.year,
    totals.actual,
    CASE WHEN years.year <= years.target_year THEN
        CAST(years.base_total * (1 - years.reduction * (years.year - years.base_year)
            / (years.target_year - years.base_year)) AS DECIMAL(24, 6))
    END AS target,
    totals.actual - target AS gap,
    years.base_total,
    CAST(years.base_total * (1 - years.reduction) AS DECIMAL(24, 6)) AS target_total,
    years.target_year
FROM years
LEFT JOIN totals USING (year)
ORDER BY years.year
