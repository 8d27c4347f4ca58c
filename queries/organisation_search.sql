-- Programmes whose organisation or programme name (in any language) contains $search,
-- ignoring case and accents; names that start with it first, then by name; at most $limit.
-- Same columns as programmes.sql. $search: the typed text; $lang: fi|sv|en; $limit
WITH wanted AS (
    SELECT strip_accents(lower(trim($search))) AS needle
),
candidates AS (
    SELECT
        p.id,
        p.organisation_id,
        in_language($lang, o.name, o.name_sv, o.name_en) AS organisation,
        in_language($lang, p.name, p.name_sv, p.name_en) AS name,
        p.start_year,
        p.end_year,
        p.is_demo,
        p.is_default,
        strip_accents(lower(concat_ws(' ', o.name, o.name_sv, o.name_en))) AS organisation_text,
        strip_accents(lower(concat_ws(' ', p.name, p.name_sv, p.name_en))) AS programme_text
    FROM programmes AS p
    JOIN organisations AS o ON o.id = p.organisation_id
)
SELECT
    c.id,
    c.organisation_id,
    c.organisation,
    c.name,
    c.start_year,
    c.end_year,
    c.is_demo,
    c.is_default
FROM candidates AS c, wanted AS w
WHERE contains(c.organisation_text, w.needle) OR contains(c.programme_text, w.needle)
ORDER BY starts_with(strip_accents(lower(c.organisation)), w.needle) DESC, c.organisation, c.name, c.id
LIMIT $limit
