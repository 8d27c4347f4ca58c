-- Measure counts by status at the end of each month, rebuilt from the append-only status
-- events (each measure counted with its last event on or before that day, under the status
-- the late rule gives it on that day: effective_status with its end date), from the month
-- of the programme's first event up to $today (the last point is $today itself). Every
-- status is present at every point (0 when none). Measures without any event count from
-- their creation with their current status.
-- $programme_id; $include_unpublished; $today: DATE
WITH shown AS (
    SELECT m.id, m.status, m.progress, m.created_at, m.end_date, m.is_continuous
    FROM visible_measures_of($programme_id, $include_unpublished) AS m
),
history AS (
    SELECT e.measure_id, e.occurred_at, e.id AS event_id, e.new_status AS status
    FROM status_events AS e
    JOIN shown ON shown.id = e.measure_id
    UNION ALL
    SELECT shown.id, shown.created_at, 0, shown.status
    FROM shown
    WHERE NOT EXISTS (SELECT 1 FROM status_events AS e WHERE e.measure_id = shown.id)
),
points AS (
    SELECT DISTINCT least(CAST(last_day(month_start) AS DATE), $today::DATE) AS point
    FROM (SELECT date_trunc('month', min(occurred_at)) AS first_month FROM history) AS bounds,
        generate_series(bounds.first_month, $today::DATE, INTERVAL 1 MONTH) AS months(month_start)
    WHERE bounds.first_month <= $today::DATE
),
state AS (
    SELECT
        points.point,
        history.measure_id,
        effective_status(
            arg_max(history.status, (history.occurred_at, history.event_id)),
            any_value(shown.end_date),
            any_value(shown.is_continuous),
            points.point
        ) AS status
    FROM points
    JOIN history ON history.occurred_at < points.point + INTERVAL 1 DAY
    JOIN shown ON shown.id = history.measure_id
    GROUP BY points.point, history.measure_id
)
SELECT
    points.point AS month_end,
    statuses.status,
    count(state.measure_id) AS measures
FROM points
CROSS JOIN status_order() AS statuses
LEFT JOIN state ON state.point = points.point AND state.status = statuses.status
GROUP BY points.point, statuses.status, statuses.ordinal
ORDER BY points.point, statuses.ordinal
