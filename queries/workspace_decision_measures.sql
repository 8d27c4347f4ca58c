-- The ids of the measures a decision is linked to.
-- $decision_id
SELECT md.measure_id
FROM measure_decisions AS md
WHERE md.decision_id = $decision_id
ORDER BY md.measure_id
