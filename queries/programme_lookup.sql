-- How many programmes there are, the id of the one to show first (the default, else the
-- first by organisation name), and the programme $programme_id itself if it exists, in the
-- reader's language: one row, whatever the number of programmes. $programme_id; $lang: fi|sv|en
WITH listed AS (
    SELECT * FROM programme_list($lang)
)
SELECT
    (SELECT count(*) FROM listed) AS programmes,
    (SELECT id FROM listed ORDER BY is_default DESC, organisation, name, id LIMIT 1) AS first_id,
    w.*
FROM (SELECT 1) AS one(x)
LEFT JOIN listed AS w ON w.id = $programme_id
