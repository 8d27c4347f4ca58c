-- One published measure of a programme by its code, public fields only (public_measure_rows:
-- never the internal note or the contact), texts in the reader's language; no row when it is
-- unpublished; status is the one it is shown under on $today (effective_status), set_status the
-- one set on it. $programme_id; $code; $lang: fi|sv|en; $today: DATE
SELECT
    m.* EXCLUDE (programme_id, updated_at),
    CAST(m.updated_at AS DATE) AS updated_on
FROM public_measure_rows($programme_id, $lang, $today::DATE) AS m
WHERE m.code = $code
