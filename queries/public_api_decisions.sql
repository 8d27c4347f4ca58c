-- One page of the council decisions linked to a programme's published measures, for the JSON
-- API: the public record of each decision (never the pasted text) and the codes of the
-- published measures it concerns, newest first, with how many there are in all (total).
-- $programme_id; $limit; $offset
WITH linked AS (
    SELECT
        md.decision_id,
        list(m.code ORDER BY code_sort_key(m.code), m.code) AS measure_codes,
        list(m.id ORDER BY code_sort_key(m.code), m.code) AS measure_ids
    FROM measure_decisions AS md
    JOIN visible_measures_of($programme_id, false) AS m ON m.id = md.measure_id
    GROUP BY md.decision_id
)
SELECT
    d.*,
    linked.measure_codes,
    linked.measure_ids,
    count(*) OVER () AS total
FROM linked
JOIN public_decision_fields() AS d ON d.id = linked.decision_id
ORDER BY d.decided_on DESC NULLS LAST, d.id
LIMIT $limit OFFSET $offset
