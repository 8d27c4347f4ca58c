"""Streamlit helpers the pages share, one module per concern.

per_run    what one script run reads once (language, data version, settings)
data       the one connection, cached named queries, settings, the day measured on
text       the reader's language and the catalogue (tr); text inside markdown (md, tr_md, md_link)
formats    euros, dates, shares and empty cells in the reader's format
session    who is signed in, with which role; sign-in, sign-out, idle timeout
programme  the programme chosen in the URL, its selector, the demo notice
badges     HTML escaping, status badges, measure lists with badges
links      relative links between pages that keep language, programme and embedding
public_view the public view's look: style, notes, language links, tables
forms      problems beside fields, conflicts, and EditForm (load, save, keep mine)
charts     figures built once per distinct data, charts with their data tables
settings_form the admin's settings as labelled widgets within their ranges
downloads  internal downloads: built on click, for a caller holding the role, short-lived
errors     the error boundary: a short message with an incident id, details to the log
pages      the page registry (importable without Streamlit)
"""
