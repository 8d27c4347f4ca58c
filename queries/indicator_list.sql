-- An organisation's indicators with where each stands: names in the reader's language, unit,
-- direction, frequency, role, whether published and illustrative; the latest period with values
-- (latest_year, latest_month: 0 for a yearly value) and its total (latest_total, summed over the
-- breakdown), whether it is preliminary; the goal that period is measured against (the first goal
-- at or after it, else the last one: goal_year, goal_month, goal_value); how many measures are
-- linked. The emissions indicator first, then by name. Unpublished ones only with
-- $include_unpublished.
-- The latest period and its goal follow the same rule as measure_indicator_summary.sql: change both together
-- (one shared macro totalled every indicator of the organisation and made the measure page slower).
-- $organisation_id; $lang: fi|sv|en; $include_unpublished
WITH totals AS (
    SELECT indicator_id, year, month, sum(value) AS total, bool_or(is_preliminary) AS is_preliminary
    FROM indicator_values
    WHERE indicator_id IN (SELECT id FROM indicators WHERE organisation_id = $organisation_id)
    GROUP BY indicator_id, year, month
),
latest AS (
    SELECT
        indicator_id,
        arg_max(year, year * 100 + month) AS year,
        arg_max(month, year * 100 + month) AS month,
        arg_max(total, year * 100 + month) AS total,
        arg_max(is_preliminary, year * 100 + month) AS is_preliminary
    FROM totals
    GROUP BY indicator_id
),
goals AS (
    SELECT
        g.indicator_id,
        coalesce(
            min(g.year * 100 + g.month) FILTER (WHERE g.year * 100 + g.month >= l.year * 100 + l.month),
            max(g.year * 100 + g.month)
        ) AS goal_period
    FROM indicator_goals AS g
    LEFT JOIN latest AS l USING (indicator_id)
    GROUP BY g.indicator_id
)
SELECT
    i.id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS name,
    i.unit,
    i.direction,
    i.frequency,
    i.breakdown,
    i.role,
    i.is_published,
    i.is_illustrative,
    l.year AS latest_year,
    l.month AS latest_month,
    l.total AS latest_total,
    l.is_preliminary AS latest_preliminary,
    g.year AS goal_year,
    g.month AS goal_month,
    g.value AS goal_value,
    (SELECT count(*) FROM measure_indicators AS mi WHERE mi.indicator_id = i.id) AS measures
FROM indicators AS i
LEFT JOIN latest AS l ON l.indicator_id = i.id
LEFT JOIN goals AS chosen ON chosen.indicator_id = i.id
LEFT JOIN indicator_goals AS g ON g.indicator_id = i.id AND g.year * 100 + g.month = chosen.goal_period
WHERE i.organisation_id = $organisation_id
    AND (i.is_published OR $include_unpublished)
ORDER BY i.role = 'emissions' DESC, name, i.id
