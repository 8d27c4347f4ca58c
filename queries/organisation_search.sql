-- Programmes whose organisation or programme name (in any language) contains $search,
-- ignoring case and accents; names that start with it first, then by name; at most $limit.
-- Same columns as programmes.sql. $search: the typed text; $lang: fi|sv|en; $limit
WITH wanted AS (
    SELECT folded(trim($search)) AS needle
)
SELECT listed.*
FROM programme_list($lang) AS listed
JOIN programmes AS p ON p.id = listed.id
JOIN organisations AS o ON o.id = p.organisation_id
CROSS JOIN wanted AS w
WHERE contains(folded(concat_ws(' ', o.name, o.name_sv, o.name_en)), w.needle)
    OR contains(folded(concat_ws(' ', p.name, p.name_sv, p.name_en)), w.needle)
ORDER BY starts_with(folded(listed.organisation), w.needle) DESC, listed.organisation, listed.name, listed.id
LIMIT $limit
