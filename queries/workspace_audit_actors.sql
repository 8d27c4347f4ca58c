-- Everyone who appears in the audit log, for the person filter (no parameters).
SELECT DISTINCT a.actor
FROM audit_log AS a
ORDER BY a.actor
