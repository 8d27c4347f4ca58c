-- The measures a pasted decision may concern: every live measure of a programme with its titles in all
-- languages, status, progress, version and organisation, in code order.
-- $programme_id
SELECT
    m.id,
    m.code,
    m.title_fi,
    m.title_sv,
    m.title_en,
    m.status,
    m.progress,
    m.version,
    p.organisation_id
FROM visible_measures_of($programme_id, true) AS m
JOIN programmes AS p ON p.id = m.programme_id
ORDER BY code_sort_key(m.code), m.code
