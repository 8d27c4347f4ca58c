-- One measure of a programme by its code, with theme and programme, texts in the reader's language.
-- Internal fields (internal_note, contact_email) are returned only when $include_internal;
-- status is the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $code; $lang: fi|sv|en; $include_unpublished; $include_internal; $today: DATE
SELECT
    m.* EXCLUDE (theme_id, theme_position, is_late, past_end) REPLACE (
        CASE WHEN $include_internal THEN m.contact_email END AS contact_email,
        CASE WHEN $include_internal THEN m.internal_note END AS internal_note
    )
FROM measure_rows($programme_id, $lang, $include_unpublished, $today::DATE) AS m
WHERE m.code = $code
