-- The measures of a programme in theme and code order, titles in the reader's language.
-- $programme_id; $lang: fi|sv|en; $include_unpublished: true also lists unpublished measures
SELECT *
FROM measure_list($programme_id, $lang, $include_unpublished)
ORDER BY theme_position, code_sort_key(code), code
