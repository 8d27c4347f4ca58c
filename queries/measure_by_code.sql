-- One measure of a programme by its code, with theme and programme, texts in the reader's language.
-- Internal fields (internal_note, contact_email) are returned only when $include_internal;
-- status is the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $code; $lang: fi|sv|en; $include_unpublished; $include_internal; $today: DATE
SELECT
    m.id,
    m.programme_id,
    m.code,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    m.contact_name,
    CASE WHEN $include_internal THEN m.contact_email END AS contact_email,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS set_status,
    m.phase,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_published,
    m.is_illustrative,
    CASE WHEN $include_internal THEN m.internal_note END AS internal_note,
    m.updated_at,
    m.version
FROM visible_measures_of($programme_id, $include_unpublished) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.code = $code
