-- The $limit programmes (with their organisation) furthest along: highest share of measures
-- done, then most measures. $lang: fi|sv|en; $include_unpublished: true also counts
-- unpublished measures; $limit
WITH per_programme AS (
    SELECT
        m.programme_id,
        count(*) AS measures,
        count(*) FILTER (WHERE m.status = 'done') AS done
    FROM visible_measures($include_unpublished) AS m
    GROUP BY m.programme_id
)
SELECT
    p.id AS programme_id,
    p.organisation,
    pp.measures,
    pp.done,
    pp.done / pp.measures AS share_done
FROM per_programme AS pp
JOIN programme_list($lang) AS p ON p.id = pp.programme_id
ORDER BY share_done DESC, pp.measures DESC, p.organisation
LIMIT $limit
