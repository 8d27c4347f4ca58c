-- A measure's budget lines per year and cost centre, planned against actual, with each
-- line's utilisation (actual / planned) and the measure's totals over all its lines.
-- $measure_id
SELECT
    id,
    year,
    cost_centre,
    cost_centre_name,
    planned_eur,
    actual_eur,
    variance_eur,
    utilisation,
    sum(planned_eur) OVER () AS planned_total,
    sum(actual_eur) OVER () AS actual_total,
    funding_source,
    note,
    version
FROM budget_line_rows()
WHERE measure_id = $measure_id
ORDER BY year, cost_centre
