-- The audit log, newest first: who changed what and when, with the JSON before and after,
-- the measure's code and what the entity is called (entity_name: a measure's code; a budget
-- line's measure code, year and cost centre; a cost centre's code and name; a decision's body;
-- a user's e-mail; a setting's key; a programme's, theme's or organisation's name; an indicator's
-- name; the organisation of an emissions import; taken from
-- the audit row itself when the row is gone; entity_date and entity_section: a decision's day
-- and section). Filters: $measure_id (NULL: all), $actor (NULL: everyone), $date_from and
-- $date_to (dates, inclusive; NULL: open ended).
WITH recent AS (
    SELECT *
    FROM audit_log AS a
    WHERE ($measure_id IS NULL OR a.measure_id = $measure_id)
        AND ($actor IS NULL OR a.actor = $actor)
        AND ($date_from IS NULL OR a.occurred_at >= CAST($date_from AS DATE))
        AND ($date_to IS NULL OR a.occurred_at < CAST($date_to AS DATE) + INTERVAL 1 DAY)
    ORDER BY a.occurred_at DESC, a.id DESC
    LIMIT 5000
),
named AS (
    SELECT
        a.*,
        TRY_CAST(a.entity_id AS INTEGER) AS row_id,
        coalesce(a.before, a.after) AS fields
    FROM recent AS a
)
SELECT
    a.id,
    a.occurred_at,
    a.actor,
    a.action,
    a.entity,
    a.entity_id,
    a.measure_id,
    m.code AS measure_code,
    CAST(a.before AS VARCHAR) AS before,
    CAST(a.after AS VARCHAR) AS after,
    CASE a.entity
        WHEN 'measure' THEN m.code
        WHEN 'budget_line' THEN concat_ws(
            ' · ',
            m.code,
            CAST(coalesce(b.year, TRY_CAST(a.fields ->> 'year' AS INTEGER)) AS VARCHAR),
            coalesce(c.code, a.fields ->> 'cost_centre')
        )
        WHEN 'cost_centre' THEN concat_ws(' ', coalesce(c.code, a.fields ->> 'code'), coalesce(c.name, a.fields ->> 'name'))
        WHEN 'decision' THEN d.body
        WHEN 'user' THEN coalesce(u.email, a.fields ->> 'email')
        WHEN 'setting' THEN a.entity_id
        WHEN 'programme' THEN p.name
        WHEN 'theme' THEN coalesce(t.name_fi, a.fields ->> 'name_fi')
        WHEN 'organisation' THEN coalesce(o.name, a.fields ->> 'name')
        WHEN 'indicator' THEN coalesce(i.name_fi, a.fields ->> 'name_fi')
        WHEN 'emissions' THEN o.name
    END AS entity_name,
    d.decided_on AS entity_date,
    d.section AS entity_section
FROM named AS a
LEFT JOIN measures AS m ON m.id = a.measure_id
LEFT JOIN budget_lines AS b ON a.entity = 'budget_line' AND b.id = a.row_id
LEFT JOIN cost_centres AS c ON c.id = CASE a.entity
    WHEN 'cost_centre' THEN a.row_id
    WHEN 'budget_line' THEN coalesce(b.cost_centre_id, TRY_CAST(a.fields ->> 'cost_centre_id' AS INTEGER))
END
LEFT JOIN decisions AS d ON a.entity = 'decision' AND d.id = a.row_id
LEFT JOIN users AS u ON a.entity = 'user' AND u.id = a.row_id
LEFT JOIN programmes AS p ON a.entity = 'programme' AND p.id = a.row_id
LEFT JOIN themes AS t ON a.entity = 'theme' AND t.id = a.row_id
LEFT JOIN organisations AS o ON a.entity IN ('organisation', 'emissions') AND o.id = a.row_id
LEFT JOIN indicators AS i ON a.entity = 'indicator' AND i.id = a.row_id
ORDER BY a.occurred_at DESC, a.id DESC
