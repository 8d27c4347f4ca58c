-- The open data of a programme: one row per published measure with its public fields and,
-- when $include_money, its money planned and actual in total (NULL otherwise).
-- $programme_id; $lang: fi|sv|en; $include_money
SELECT
    in_language($lang, p.name, p.name_sv, p.name_en) AS programme,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    m.status,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    CAST(m.updated_at AS DATE) AS updated_on,
    CASE WHEN $include_money THEN money.planned_eur END AS planned_eur,
    CASE WHEN $include_money THEN money.actual_eur END AS actual_eur
FROM visible_measures_of($programme_id, false) AS m
JOIN programmes AS p ON p.id = m.programme_id
JOIN themes AS t ON t.id = m.theme_id
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
ORDER BY t.position, code_sort_key(m.code), m.code
