-- One row saying what moved in a programme between two states ($base_period_id and $period_id:
-- periods' snapshots, NULL for now, late on $today): measures before and after, done before and
-- after, newly done, late before and after, newly late, status changes, average progress
-- before and after, and money planned and spent (all years) before and after.
-- $programme_id; $base_period_id; $period_id; $include_unpublished; $today: DATE
SELECT
    count(*) FILTER (c.in_before) AS measures_before,
    count(*) FILTER (c.in_after) AS measures_after,
    count(*) FILTER (c.status_before = 'done') AS done_before,
    count(*) FILTER (c.status_after = 'done') AS done_after,
    count(*) FILTER (c.status_after = 'done' AND c.status_before IS DISTINCT FROM 'done' AND c.in_after)
        AS newly_done,
    count(*) FILTER (c.late_before) AS late_before,
    count(*) FILTER (c.late_after) AS late_after,
    count(*) FILTER (c.late_after AND NOT c.late_before) AS newly_late,
    count(*) FILTER (c.in_before AND c.in_after AND c.status_before <> c.status_after) AS status_changes,
    count(*) FILTER (NOT c.in_before) AS added,
    count(*) FILTER (NOT c.in_after) AS removed,
    avg(c.progress_before) AS progress_before,
    avg(c.progress_after) AS progress_after,
    coalesce(sum(c.planned_before), 0) AS planned_before,
    coalesce(sum(c.planned_after), 0) AS planned_after,
    coalesce(sum(c.actual_before), 0) AS actual_before,
    coalesce(sum(c.actual_after), 0) AS actual_after
FROM measure_changes($programme_id, $base_period_id, $period_id, $include_unpublished, $today::DATE) AS c
