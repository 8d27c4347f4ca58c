-- One row of headline numbers for a programme on $today: measures by the status they are
-- counted under (effective_status: late when status late, or past their end date and
-- neither done, cancelled nor continuous; each measure in exactly one count, the counts
-- add up to total), measures updated within $recent_days, and money planned and spent in $today's year
-- and over the programme period (years start_year..end_year; all years when unknown).
-- $programme_id; $include_unpublished; $today: DATE; $recent_days: INTEGER
WITH shown AS (
    SELECT *, effective_status(status, end_date, is_continuous, $today::DATE) AS shown_status
    FROM visible_measures_of($programme_id, $include_unpublished)
),
money AS (
    SELECT
        coalesce(sum(b.planned_eur) FILTER (b.year = year($today::DATE)), 0) AS planned_this_year,
        coalesce(sum(b.actual_eur) FILTER (b.year = year($today::DATE)), 0) AS actual_this_year,
        coalesce(sum(b.planned_eur) FILTER (b.year BETWEEN coalesce(p.start_year, 1990) AND coalesce(p.end_year, 2100)), 0)
            AS planned_period,
        coalesce(sum(b.actual_eur) FILTER (b.year BETWEEN coalesce(p.start_year, 1990) AND coalesce(p.end_year, 2100)), 0)
            AS actual_period,
        count(b.id) AS budget_lines
    FROM programmes AS p
    LEFT JOIN shown AS m ON m.programme_id = p.id
    LEFT JOIN budget_lines AS b ON b.measure_id = m.id
    WHERE p.id = $programme_id
)
SELECT
    count(shown.id) AS total,
    count(shown.id) FILTER (shown_status = 'done') AS done,
    count(shown.id) FILTER (shown_status = 'in_progress') AS in_progress,
    count(shown.id) FILTER (shown_status = 'not_started') AS not_started,
    count(shown.id) FILTER (shown_status = 'late') AS late,
    count(shown.id) FILTER (shown_status = 'postponed') AS postponed,
    count(shown.id) FILTER (shown_status = 'cancelled') AS cancelled,
    count(shown.id) FILTER (updated_at >= $today::DATE - to_days($recent_days::INTEGER)) AS updated_recently,
    any_value(money.planned_this_year) AS planned_this_year,
    any_value(money.actual_this_year) AS actual_this_year,
    any_value(money.planned_period) AS planned_period,
    any_value(money.actual_period) AS actual_period,
    any_value(money.budget_lines) AS budget_lines
FROM money
LEFT JOIN shown ON true
