-- Every dated goal of an organisation's indicators with the indicator's names and unit, as the
-- closing of a period freezes them (into snapshot_indicator_goals): the year, month (1-12, 0 for
-- the whole year), the value to reach as stored and the note.
-- $organisation_id
SELECT i.*, g.year, g.month, g.value, g.note
FROM indicator_names_of($organisation_id) AS i
JOIN indicator_goals AS g ON g.indicator_id = i.indicator_id
