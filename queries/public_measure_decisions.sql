-- The council decisions linked to a published measure, newest first (undated last): the
-- public record of each (body, date, §, case number, title, outcome, vote, link to the
-- minutes); never the pasted decision text. No row when the measure is not published.
-- $measure_id
SELECT d.*
FROM measure_decisions AS md
JOIN visible_measures(false) AS m ON m.id = md.measure_id
JOIN public_decision_fields() AS d ON d.id = md.decision_id
WHERE md.measure_id = $measure_id
ORDER BY d.decided_on DESC NULLS LAST, d.id
