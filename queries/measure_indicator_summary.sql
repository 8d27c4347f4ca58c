-- The indicators a measure follows, each with its latest measured year and total, its
-- base-year total and its target total (NULL when the indicator has no target).
-- $measure_id; $lang: fi|sv|en
WITH totals AS (
    SELECT indicator_id, year, sum(value) AS total
    FROM indicator_values
    GROUP BY indicator_id, year
)
SELECT
    i.id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS name,
    i.unit,
    i.is_illustrative,
    latest.year AS latest_year,
    latest.total AS latest_total,
    i.base_year,
    base.total AS base_total,
    i.target_year,
    CAST(base.total * (1 - i.target_reduction_pct / 100) AS DECIMAL(14, 3)) AS target_total
FROM measure_indicators AS mi
JOIN indicators AS i ON i.id = mi.indicator_id
LEFT JOIN (
    SELECT indicator_id, max(year) AS year, arg_max(total, year) AS total FROM totals GROUP BY indicator_id
) AS latest ON latest.indicator_id = i.id
LEFT JOIN totals AS base ON base.indicator_id = i.id AND base.year = i.base_year
WHERE mi.measure_id = $measure_id
ORDER BY i.id
