"""The reader's language and the one fi/sv/en catalogue."""

from __future__ import annotations

import numbers
import re

import streamlit as st

from tracker import i18n
from ui import per_run

LANG_KEY = "app_lang"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def settle_language() -> str:
    """The language of this run: the URL's, else the session's, else Finnish; kept in the session."""
    wanted = i18n.normalise_language(st.query_params.get("lang") or st.session_state.get(LANG_KEY))
    if st.session_state.get(LANG_KEY) != wanted:
        st.session_state[LANG_KEY] = wanted
    return wanted


def language_chosen() -> None:
    """The sidebar's language was changed: the URL follows, so the next run keeps it."""
    st.query_params["lang"] = st.session_state[LANG_KEY]


def lang() -> str:
    return per_run.value("lang") or st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    """The catalogue's message ``key`` in the reader's language; a missing parameter raises."""
    return i18n.t(key, lang(), **params)


# -- text inside markdown --
#
# Streamlit draws markdown in st.markdown, st.write, st.caption, st.title/header/
# subheader, st.info/warning/error/success, st.toast, st.metric, st.progress and
# in every widget's label and help. Whatever a person, a file or a URL gave goes
# there only through md() or tr_md(), so it shows as the very text it is: never
# a link, an image, emphasis, HTML or a Streamlit directive.

# Characters that start markdown wherever they stand: links and images ([ ]),
# HTML and autolinks (<), emphasis (* _ ~), code (`), tables (|), maths ($) and
# escapes themselves (\\). A backslash before any of them makes it stand for itself.
_ANYWHERE = re.compile(r"([\\`*_\[\]<|~$])")
# An HTML entity (&lt; &#60;) would show as the character it names.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Streamlit's directives, icons and emoji (:red[…], :material/home:, :smile:)
# start with a colon before a letter; they are found in the text after escapes
# are resolved, so the colon gets a word joiner after it too.
# Only a colon that starts one (a name, then ":" or "["): "kt:lla", "ICLEI:n" stay as written.
_DIRECTIVE = re.compile(r":(?=[A-Za-z][\w/-]*(?::|\\?\[))")
# What starts a block at the beginning of a line: a heading (# ), a quote (>), a
# list item (- + 1. 1)), a heading's underline or a rule (a line of = or -).
_LINE_START = re.compile(
    r"(?m)^(?P<indent>[ \t]{0,3})(?:"
    r"(?P<mark>#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|>|[=-](?=[=\- \t]*$))"
    r"|(?P<number>\d{1,9})(?P<end>[.)])(?=[ \t]|$))"
)
# GitHub-flavoured markdown links bare web addresses (https://…, www.…) even
# after escapes are resolved; an invisible word joiner inside the pattern stops
# it. A bare e-mail address is left to become a mailto link: its target is
# exactly the text shown, nothing is fetched, and a joiner in it would break
# the address for whoever copies it.
_AUTOLINK = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)")
_WORD_JOINER = "\u2060"
# A link destination the app itself builds: one of its own pages, or an http(s) address.
_SAFE_DESTINATION = re.compile(r"^(https?://[^\s<>]+|[a-z0-9_-]+(\?[^\s<>]*)?)$", re.IGNORECASE)


class Markdown(str):
    """Markdown the app wrote itself (a catalogue message, a link md_link built):
    tr_md and md pass it on as it is."""


def md(text) -> Markdown:
    """``text`` as markdown that shows exactly that text."""
    if isinstance(text, Markdown):
        return text
    plain = _AUTOLINK.sub(_WORD_JOINER, "" if text is None else str(text))
    escaped = _DIRECTIVE.sub(lambda _colon: "\\:" + _WORD_JOINER, _ENTITY.sub(r"\\&", _ANYWHERE.sub(r"\\\1", plain)))
    return Markdown(_LINE_START.sub(_escape_line_start, escaped))


def _escape_line_start(match: re.Match) -> str:
    if match["number"]:
        return f"{match['indent']}{match['number']}\\{match['end']}"
    return f"{match['indent']}\\{match['mark']}"


def md_link(label, url: str) -> Markdown:
    """A markdown link the app builds: ``label`` shown as text, ``url`` one of the
    app's own relative links or an http(s) address (anything else: just the label)."""
    if not _SAFE_DESTINATION.match(url or ""):
        return md(label)
    # <…> keeps a destination with parentheses whole
    destination = f"<{url}>" if "(" in url or ")" in url else url
    return Markdown(f"[{md(label)}]({destination})")


def tr_md(key: str, **params) -> Markdown:
    """The catalogue's message ``key`` (markdown the app wrote) with every parameter
    shown as text; a parameter that is ``Markdown`` itself goes in as it is. A number
    stays a number: it carries no markdown, and a plural block counts with it."""
    return Markdown(tr(key, **{name: _as_parameter(value) for name, value in params.items()}))


def _as_parameter(value):
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    return md(value)
