-- Residents' feedback for the editors' inbox, newest first: new, handled, or both ($status
-- NULL), at most $limit, with the measure it is about (code and title in the reader's
-- language) and its programme's name. Contact details are NULL once deleted.
-- $status: 'new' | 'handled' | NULL; $lang: fi|sv|en; $limit
SELECT
    f.id,
    f.received_at,
    f.kind,
    f.programme_id,
    in_language($lang, p.name, p.name_sv, p.name_en) AS programme,
    m.code AS measure_code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS measure_title,
    f.lang,
    f.message,
    f.sender_name,
    f.sender_email,
    f.status,
    f.handled_at,
    f.handled_by,
    f.replied_at,
    f.contact_deleted_at,
    f.version
FROM feedback AS f
LEFT JOIN programmes AS p ON p.id = f.programme_id
LEFT JOIN measures AS m ON m.id = f.measure_id
WHERE $status IS NULL OR f.status = $status
ORDER BY f.received_at DESC, f.id DESC
LIMIT $limit
