-- In a demo programme, the measures that come from a real source (not illustrative), with
-- their money (years, euros planned per year when every year has the same sum, total) and
-- their latest linked decision (body, outcome, unanimous).
-- $programme_id; $lang: fi|sv|en; $include_unpublished: true also lists unpublished measures
WITH real_measures AS (
    SELECT m.id, m.code, m.title_fi, m.title_sv, m.title_en, m.status
    FROM visible_measures_of($programme_id, $include_unpublished) AS m
    WHERE NOT m.is_illustrative
),
money AS (
    SELECT
        b.measure_id,
        min(b.year) AS first_year,
        max(b.year) AS last_year,
        sum(b.planned_eur) AS planned_eur,
        CASE WHEN count(DISTINCT b.year) = count(*) AND min(b.planned_eur) = max(b.planned_eur)
            THEN min(b.planned_eur) END AS planned_per_year
    FROM budget_lines AS b
    WHERE b.measure_id IN (SELECT id FROM real_measures)
    GROUP BY b.measure_id
),
latest_decision AS (
    SELECT
        md.measure_id,
        arg_max(d.body, coalesce(d.decided_on, DATE '1900-01-01')) AS decision_body,
        arg_max(d.outcome, coalesce(d.decided_on, DATE '1900-01-01')) AS decision_outcome,
        arg_max(d.unanimous, coalesce(d.decided_on, DATE '1900-01-01')) AS decision_unanimous
    FROM measure_decisions AS md
    JOIN decisions AS d ON d.id = md.decision_id
    WHERE md.measure_id IN (SELECT id FROM real_measures)
    GROUP BY md.measure_id
)
SELECT
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    m.status,
    money.first_year,
    money.last_year,
    money.planned_eur,
    money.planned_per_year,
    latest_decision.decision_body,
    latest_decision.decision_outcome,
    latest_decision.decision_unanimous
FROM real_measures AS m
LEFT JOIN money ON money.measure_id = m.id
LEFT JOIN latest_decision ON latest_decision.measure_id = m.id
ORDER BY code_sort_key(m.code)
