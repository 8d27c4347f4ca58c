-- One row per measure and budget line of a programme (a measure without money has one
-- row with no year), in theme and code order: the rows of the measures spreadsheet (with the
-- optional framework fields).
-- $programme_id; $lang: fi|sv|en (theme names)
SELECT
    m.code,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    m.title_fi AS title,
    m.description_fi AS description,
    m.responsible_unit AS responsible,
    m.status,
    m.progress,
    m.start_date AS start,
    m.end_date AS "end",
    m.is_continuous AS continuous,
    m.is_published AS public,
    -- the optional framework fields (issue 14): codes, the list of codes joined by "; "
    m.sector,
    m.financing_source AS financing,
    m.finance_status,
    m.total_cost_eur AS total_cost,
    m.municipal_share_pct AS municipal_share,
    array_to_string(m.co_benefits, '; ') AS co_benefits,
    m.emission_reduction_t AS emission_reduction,
    m.energy_saved_mwh AS energy_saved,
    m.renewable_energy_mwh AS renewable_energy,
    m.com_area,
    m.com_instrument,
    c.code AS cost_centre_code,
    c.name AS cost_centre_name,
    b.year,
    b.planned_eur AS planned,
    b.actual_eur AS actual
FROM visible_measures_of($programme_id, true) AS m
JOIN themes AS t ON t.id = m.theme_id
LEFT JOIN budget_lines AS b ON b.measure_id = m.id
LEFT JOIN cost_centres AS c ON c.id = b.cost_centre_id
ORDER BY t.position, code_sort_key(m.code), m.code, b.year, c.code
