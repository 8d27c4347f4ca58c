-- Measures per theme and the status they are counted under on $today (effective_status: a
-- late measure counts as late only), every theme and status present (0 when none), in the
-- programme's theme order, with each count's share of its theme.
-- $programme_id; $lang: fi|sv|en; $include_unpublished: true also counts unpublished measures; $today: DATE
WITH counts AS (
    SELECT
        t.id AS theme_id,
        t.position,
        in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
        s.status,
        s.ordinal,
        count(m.id) AS measures
    FROM themes AS t
    CROSS JOIN status_order() AS s
    LEFT JOIN visible_measures($include_unpublished) AS m
        ON m.theme_id = t.id
        AND effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) = s.status
    WHERE t.programme_id = $programme_id
    GROUP BY ALL
)
SELECT
    theme_id,
    position,
    theme,
    status,
    measures,
    sum(measures) OVER (PARTITION BY theme_id) AS theme_total,
    CASE WHEN sum(measures) OVER (PARTITION BY theme_id) = 0 THEN 0
        ELSE measures / sum(measures) OVER (PARTITION BY theme_id) END AS share
FROM counts
ORDER BY position, theme_id, ordinal
