-- How many published measures of a programme (or of one theme) are done, of how many.
-- $programme_id; $theme_position: a theme's position, or NULL for the whole programme
SELECT
    count(m.id) FILTER (WHERE m.status = 'done') AS done,
    count(m.id) AS total
FROM visible_measures_of($programme_id, false) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE $theme_position IS NULL OR t.position = $theme_position
