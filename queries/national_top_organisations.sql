-- The $limit programmes (with their organisation) furthest along: highest share of measures
-- done, then most measures. $lang: fi|sv|en; $include_unpublished: true also counts
-- unpublished measures; $limit
WITH per_programme AS (
    SELECT
        m.programme_id,
        count(*) AS measures,
        count(*) FILTER (WHERE m.status = 'done') AS done
    FROM measures AS m
    WHERE m.archived_at IS NULL
        AND (m.is_published OR $include_unpublished)
    GROUP BY m.programme_id
)
SELECT
    p.id AS programme_id,
    in_language($lang, o.name, o.name_sv, o.name_en) AS organisation,
    pp.measures,
    pp.done,
    pp.done / pp.measures AS share_done
FROM per_programme AS pp
JOIN programmes AS p ON p.id = pp.programme_id
JOIN organisations AS o ON o.id = p.organisation_id
ORDER BY share_done DESC, pp.measures DESC, organisation
LIMIT $limit
