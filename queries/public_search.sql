-- Published measures of a programme that a resident's search finds, best first: the code
-- starting with the query, or every query word in the title or description in the reader's
-- language (tracker/search.py: each word a stem prefix, matched at a stored stem's start).
-- Score: the code itself 100, a code that starts with the query 50, each word in the title 3,
-- in the description 1. Public fields only (public_measure_rows), status the one set on it.
-- $programme_id; $lang: fi|sv|en; $query: the cleaned query text; $prefixes: VARCHAR[] from
-- tracker.search.query_prefixes ([] when the query has no words)
WITH found AS (
    SELECT
        m.id,
        CASE WHEN lower(m.code) = lower($query) THEN 100
            WHEN $query <> '' AND starts_with(lower(m.code), lower($query)) THEN 50 ELSE 0 END
        + 3 * len(list_filter($prefixes::VARCHAR[], p -> contains(s.title_stems, p)))
        + len(list_filter($prefixes::VARCHAR[], p -> contains(s.body_stems, p))) AS score,
        len($prefixes::VARCHAR[]) > 0
        AND list_bool_and(
            list_transform($prefixes::VARCHAR[], p -> contains(s.title_stems, p) OR contains(s.body_stems, p))
        ) AS every_word
    FROM visible_measures_of($programme_id, false) AS m
    JOIN measure_search AS s ON s.measure_id = m.id AND s.lang = $lang
)
SELECT
    m.* EXCLUDE (id, programme_id, description, responsible_unit, status, start_date, end_date, updated_at)
        RENAME (set_status AS status),
    found.score
FROM found
-- status is the one set on the measure, so no day is needed for the one it is shown under.
JOIN public_measure_rows($programme_id, $lang, NULL::DATE) AS m ON m.id = found.id
WHERE found.every_word OR found.score >= 50
ORDER BY found.score DESC, m.theme_position, code_sort_key(m.code), m.code
LIMIT 50
