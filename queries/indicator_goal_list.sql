-- An indicator's dated goals: year, month (0: the whole year), value, note; in date order.
-- $indicator_id
SELECT year, month, value, note
FROM indicator_goals
WHERE indicator_id = $indicator_id
ORDER BY year, month
