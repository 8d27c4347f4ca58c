-- One row of headline numbers of a programme as a report shows it ($period_id: a period's
-- snapshot, NULL for now, late on $today): measures in all and per the status they are counted
-- under (late when status late, or past their end date while open and not continuous, as the
-- overview counts them: each measure once, the counts add up to total), those marked late by
-- hand, average progress, and money planned and spent in $year and over all years.
-- $programme_id; $period_id; $include_unpublished; $today: DATE; $year: INTEGER
WITH shown AS (
    SELECT *, CASE WHEN is_late THEN 'late' ELSE status END AS shown_status
    FROM report_measures($programme_id, $period_id, $include_unpublished, $today::DATE)
),
money AS (
    SELECT
        coalesce(sum(planned_eur) FILTER (year = $year::INTEGER), 0) AS planned_year,
        coalesce(sum(actual_eur) FILTER (year = $year::INTEGER), 0) AS actual_year,
        coalesce(sum(planned_eur), 0) AS planned_total,
        coalesce(sum(actual_eur), 0) AS actual_total
    FROM report_money($programme_id, $period_id, $include_unpublished)
)
SELECT
    count(shown.id) AS total,
    count(shown.id) FILTER (shown.shown_status = 'done') AS done,
    count(shown.id) FILTER (shown.shown_status = 'in_progress') AS in_progress,
    count(shown.id) FILTER (shown.status = 'late') AS marked_late,
    count(shown.id) FILTER (shown.shown_status = 'not_started') AS not_started,
    count(shown.id) FILTER (shown.shown_status = 'postponed') AS postponed,
    count(shown.id) FILTER (shown.shown_status = 'cancelled') AS cancelled,
    count(shown.id) FILTER (shown.shown_status = 'late') AS late,
    avg(shown.progress) AS progress,
    any_value(money.planned_year) AS planned_year,
    any_value(money.actual_year) AS actual_year,
    any_value(money.planned_total) AS planned_total,
    any_value(money.actual_total) AS actual_total
FROM money
LEFT JOIN shown ON true
