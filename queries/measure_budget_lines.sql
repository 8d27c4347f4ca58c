-- A measure's budget lines per year and cost centre, planned against actual, with each
-- line's utilisation (actual / planned) and the measure's totals over all its lines.
-- $measure_id
SELECT
    b.id,
    b.year,
    c.code AS cost_centre,
    c.name AS cost_centre_name,
    b.planned_eur,
    b.actual_eur,
    b.actual_eur - b.planned_eur AS variance_eur,
    utilisation(b.actual_eur, b.planned_eur) AS utilisation,
    sum(b.planned_eur) OVER () AS planned_total,
    sum(b.actual_eur) OVER () AS actual_total,
    b.funding_source,
    b.note,
    b.version
FROM budget_lines AS b
JOIN cost_centres AS c ON c.id = b.cost_centre_id
WHERE b.measure_id = $measure_id
ORDER BY b.year, c.code
