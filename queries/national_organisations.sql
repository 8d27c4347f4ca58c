-- One page of the organisations table: each programme with its organisation, measures, done,
-- late (is_late on $today), share done and money, by organisation name; only names containing
-- $search (ignoring case and accents; '' for all). total_rows counts every match, not just this page.
-- $search; $lang: fi|sv|en; $include_unpublished; $today: DATE; $limit: rows per page; $offset: rows skipped
WITH per_measure AS (
    SELECT
        m.programme_id,
        count(*) AS measures,
        count(*) FILTER (WHERE m.status = 'done') AS done,
        count(*) FILTER (WHERE is_late(m.status, m.end_date, m.is_continuous, CAST($today AS DATE))) AS late
    FROM visible_measures($include_unpublished) AS m
    GROUP BY m.programme_id
),
money AS (
    SELECT
        m.programme_id,
        sum(b.planned_eur) AS planned_eur,
        sum(b.actual_eur) AS actual_eur
    FROM budget_lines AS b
    JOIN visible_measures($include_unpublished) AS m ON m.id = b.measure_id
    GROUP BY m.programme_id
),
matching AS (
    SELECT
        p.id AS programme_id,
        in_language($lang, o.name, o.name_sv, o.name_en) AS organisation,
        in_language($lang, p.name, p.name_sv, p.name_en) AS programme
    FROM programmes AS p
    JOIN organisations AS o ON o.id = p.organisation_id
    WHERE contains(folded(concat_ws(' ', o.name, o.name_sv, o.name_en)), folded(trim($search)))
)
SELECT
    x.programme_id,
    x.organisation,
    x.programme,
    coalesce(pm.measures, 0) AS measures,
    coalesce(pm.done, 0) AS done,
    coalesce(pm.late, 0) AS late,
    CASE WHEN coalesce(pm.measures, 0) = 0 THEN 0 ELSE pm.done / pm.measures END AS share_done,
    mo.planned_eur,
    mo.actual_eur,
    -- A window count here (count(*) OVER ()) made DuckDB 1.5.5 fail now and then with an internal
    -- error when the search matched some programmes but not all; counting the matches directly does not.
    (SELECT count(*) FROM matching) AS total_rows
FROM matching AS x
LEFT JOIN per_measure AS pm ON pm.programme_id = x.programme_id
LEFT JOIN money AS mo ON mo.programme_id = x.programme_id
ORDER BY x.organisation, x.programme, x.programme_id
LIMIT $limit OFFSET $offset
