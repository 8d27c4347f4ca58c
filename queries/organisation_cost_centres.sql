-- An organisation's cost centres by code.
-- $organisation_id
SELECT id, code, name
FROM cost_centres
WHERE organisation_id = $organisation_id
ORDER BY code
