-- A measure's budget lines per year and cost centre, planned against actual, with each
-- line's utilisation (actual / planned) and the measure's totals over all its lines.
-- $measure_id
SELECT
    * EXCLUDE (cost_centre_id, funding_source, note, version),
    sum(planned_eur) OVER () AS planned_total,
    sum(actual_eur) OVER () AS actual_total,
    funding_source,
    note,
    version
FROM measure_budget_line_rows($measure_id)
ORDER BY year, cost_centre
