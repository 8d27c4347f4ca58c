-- The indicators a measure is meant to move, each with the effect expected of the measure
-- (effect: decrease|increase, effect_amount, effect_year, effect_note), its unit and direction,
-- its latest period with values (latest_year, latest_month: 0 for a yearly value) and that
-- period's total, and the goal that period is measured against (the first at or after it, else
-- the last: goal_year, goal_month, goal_value). Unpublished indicators only with
-- $include_unpublished.
-- The latest period and its goal follow the same rule as indicator_list.sql: change both together
-- (one shared macro totalled every indicator of the organisation and made the measure page slower).
-- $measure_id; $lang: fi|sv|en; $include_unpublished
WITH linked AS (
    SELECT mi.*, i.*
    FROM measure_indicators AS mi
    JOIN indicators AS i ON i.id = mi.indicator_id
    WHERE mi.measure_id = $measure_id
        AND (i.is_published OR $include_unpublished)
),
totals AS (
    SELECT indicator_id, year, month, sum(value) AS total
    FROM indicator_values
    WHERE indicator_id IN (SELECT id FROM linked)
    GROUP BY indicator_id, year, month
),
latest AS (
    SELECT
        indicator_id,
        arg_max(year, year * 100 + month) AS year,
        arg_max(month, year * 100 + month) AS month,
        arg_max(total, year * 100 + month) AS total
    FROM totals
    GROUP BY indicator_id
),
goal_periods AS (
    SELECT
        g.indicator_id,
        coalesce(
            min(g.year * 100 + g.month) FILTER (WHERE g.year * 100 + g.month >= l.year * 100 + l.month),
            max(g.year * 100 + g.month)
        ) AS period
    FROM indicator_goals AS g
    LEFT JOIN latest AS l USING (indicator_id)
    WHERE g.indicator_id IN (SELECT id FROM linked)
    GROUP BY g.indicator_id
)
SELECT
    i.id,
    in_language($lang, i.name_fi, i.name_sv, i.name_en) AS name,
    i.unit,
    i.direction,
    i.role,
    i.is_illustrative,
    i.effect,
    i.effect_amount,
    i.effect_year,
    i.effect_note,
    l.year AS latest_year,
    l.month AS latest_month,
    l.total AS latest_total,
    g.year AS goal_year,
    g.month AS goal_month,
    g.value AS goal_value
FROM linked AS i
LEFT JOIN latest AS l ON l.indicator_id = i.id
LEFT JOIN goal_periods AS p ON p.indicator_id = i.id
LEFT JOIN indicator_goals AS g ON g.indicator_id = i.id AND g.year * 100 + g.month = p.period
ORDER BY i.role = 'emissions' DESC, name, i.id
