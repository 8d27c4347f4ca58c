-- The measures of a programme in theme and code order, titles in the reader's language;
-- status is the one it is shown under on $today (effective_status), set_status the one set on it.
-- $programme_id; $lang: fi|sv|en; $include_unpublished: true also lists unpublished measures; $today: DATE
SELECT
    * REPLACE (effective_status(status, end_date, is_continuous, $today::DATE) AS status),
    status AS set_status
FROM measure_list($programme_id, $lang, $include_unpublished)
ORDER BY theme_position, code_sort_key(code), code
