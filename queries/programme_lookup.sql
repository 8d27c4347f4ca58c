-- How many programmes there are, the id of the one to show first (the default, else the
-- first by organisation name), and the programme $programme_id itself if it exists, in the
-- reader's language: one row, whatever the number of programmes. $programme_id; $lang: fi|sv|en
WITH listed AS (
    SELECT
        p.id,
        p.organisation_id,
        in_language($lang, o.name, o.name_sv, o.name_en) AS organisation,
        in_language($lang, p.name, p.name_sv, p.name_en) AS name,
        p.start_year,
        p.end_year,
        p.is_demo,
        p.is_default
    FROM programmes AS p
    JOIN organisations AS o ON o.id = p.organisation_id
)
SELECT
    (SELECT count(*) FROM listed) AS programmes,
    (SELECT id FROM listed ORDER BY is_default DESC, organisation, name, id LIMIT 1) AS first_id,
    w.id,
    w.organisation_id,
    w.organisation,
    w.name,
    w.start_year,
    w.end_year,
    w.is_demo,
    w.is_default
FROM (SELECT 1) AS one(x)
LEFT JOIN listed AS w ON w.id = $programme_id
