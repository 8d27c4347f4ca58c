-- The open data of a programme: one row per published measure with its public fields
-- (public_measure_rows; status the one set on it) and, when $include_money, its money planned
-- and actual in total (NULL otherwise).
-- $programme_id; $lang: fi|sv|en; $include_money
SELECT
    in_language($lang, p.name, p.name_sv, p.name_en) AS programme,
    m.theme,
    m.* EXCLUDE (id, programme_id, theme_position, theme, status, is_illustrative, updated_at)
        RENAME (set_status AS status),
    CAST(m.updated_at AS DATE) AS updated_on,
    CASE WHEN $include_money THEN money.planned_eur END AS planned_eur,
    CASE WHEN $include_money THEN money.actual_eur END AS actual_eur
-- status is the one set on the measure, so no day is needed for the one it is shown under.
FROM public_measure_rows($programme_id, $lang, NULL::DATE) AS m
JOIN programmes AS p ON p.id = m.programme_id
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
ORDER BY m.theme_position, code_sort_key(m.code), m.code
