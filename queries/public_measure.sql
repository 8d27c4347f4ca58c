-- One published measure of a programme by its code, public fields only (never the internal
-- note or the contact), texts in the reader's language; no row when it is unpublished; status is
-- the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $code; $lang: fi|sv|en; $today: DATE
SELECT
    m.id,
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS set_status,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_illustrative,
    CAST(m.updated_at AS DATE) AS updated_on
FROM visible_measures_of($programme_id, false) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.code = $code
