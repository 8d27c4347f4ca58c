-- Every programme with its organisation, in the reader's language; the default first.
-- $lang: fi|sv|en
SELECT *
FROM programme_list($lang)
ORDER BY is_default DESC, organisation, name
