-- The decisions linked to a programme's measures that were made in a report's time ($since
-- exclusive, $until inclusive), oldest first, with the codes of the measures they are linked to.
-- $period_id: a period's snapshot, NULL for now. $programme_id; $period_id; $include_unpublished;
-- $since: DATE; $until: DATE
SELECT
    d.decision_id AS id,
    any_value(d.body) AS body,
    any_value(d.decided_on) AS decided_on,
    any_value(d.section) AS section,
    any_value(d.case_number) AS case_number,
    any_value(d.title) AS title,
    any_value(d.outcome) AS outcome,
    any_value(d.unanimous) AS unanimous,
    string_agg(m.code, ', ' ORDER BY code_sort_key(m.code), m.code) AS measures
FROM report_decisions($programme_id, $period_id, $include_unpublished) AS d
JOIN report_measures($programme_id, $period_id, $include_unpublished, $until::DATE) AS m ON m.id = d.measure_id
WHERE d.decided_on > $since::DATE AND d.decided_on <= $until::DATE
GROUP BY d.decision_id
ORDER BY decided_on, id
