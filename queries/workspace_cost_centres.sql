-- An organisation's cost centres in code order, with how many budget lines use each.
-- $organisation_id
SELECT
    c.id,
    c.code,
    c.name,
    count(b.id) AS budget_lines
FROM cost_centres AS c
LEFT JOIN budget_lines AS b ON b.cost_centre_id = c.id
WHERE c.organisation_id = $organisation_id
GROUP BY c.id, c.code, c.name
ORDER BY c.code
