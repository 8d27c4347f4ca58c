"""What the probe typed (issue 17), kept as the suite's payloads: markdown and
HTML that would become a link or a remote image, formulas a spreadsheet would
run. ``make_hostile_copy`` puts them into every text a page can show; the
checks below find a live link, image or formula wherever a page draws one."""

from __future__ import annotations

import html
import html.parser
import re
import urllib.parse

from tracker import db

EVIL = "evil.example"
MARKDOWN_PAYLOADS = (
    "[Click here to sign in](https://evil.example/login)",
    "![i](https://evil.example/p.png)",
    "Log in at https://evil.example/x or www.evil.example, or write to phish@evil.example",
    '<a href="https://evil.example/a">a</a> <img src="https://evil.example/i.png">',
    "[Login here][1] and [1]: https://evil.example/ref",
    "<https://evil.example/auto> **bold** :red[red] $x$",
)
FORMULA_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    '=HYPERLINK("https://evil.example/f","Click")',
    "\t=1+1",
)
PAYLOADS = MARKDOWN_PAYLOADS + FORMULA_PAYLOADS
# Measure codes the form allows (at most 20 characters): a link in markdown, a formula in a spreadsheet.
CODE_PAYLOAD = "[x](//evil.example)"
FORMULA_CODE = "=SUM(1,2)"


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def make_hostile_copy(databases, template: str) -> str:
    """Copy the demo (``databases``: the conftest fixture) and put a payload into
    every text a page shows (as the CLI, an import or a person with the forms
    could: none of them refuses markdown)."""
    target = databases.copy(template, "hostile")
    con = db.connect(target)
    try:
        con.create_function("payload", payload, [int], str)
        con.execute("UPDATE organisations SET name = payload(0), name_sv = payload(1), name_en = payload(2)")
        con.execute("UPDATE programmes SET name = payload(1), name_sv = payload(2), name_en = payload(3)")
        con.execute("UPDATE themes SET name_fi = payload(id), name_sv = payload(id + 1), name_en = payload(id + 2)")
        con.execute(
            "UPDATE measures SET title_fi = payload(id), title_sv = payload(id + 1), title_en = payload(id + 2),"
            " description_fi = payload(id + 3), description_sv = payload(id + 4), description_en = payload(id + 5),"
            " responsible_unit = payload(id + 6), contact_name = payload(id + 7)"
        )
        con.execute("UPDATE measures SET code = ? WHERE code = '1.2'", [CODE_PAYLOAD])
        con.execute("UPDATE measures SET code = ? WHERE code = '1.3'", [FORMULA_CODE])
        con.execute("UPDATE status_events SET note = payload(id) WHERE note IS NOT NULL")
        con.execute("UPDATE cost_centres SET name = payload(id)")
        con.execute("UPDATE budget_lines SET funding_source = payload(id), note = payload(id + 1)")
        con.execute(
            "UPDATE decisions SET body = payload(id), title = payload(id + 1), case_number = payload(id + 2),"
            " text = payload(id + 3)"
        )
        con.execute("UPDATE indicators SET name_fi = payload(id), name_sv = payload(id), name_en = payload(id)")
        con.execute("UPDATE indicators SET unit = payload(id + 1)")
        con.execute(
            "UPDATE indicator_values AS v SET sector = m.hostile FROM (SELECT sector, payload(CAST(number AS INTEGER))"
            " || ' #' || number AS hostile FROM (SELECT sector, row_number() OVER (ORDER BY sector) AS number"
            " FROM (SELECT DISTINCT sector FROM indicator_values))) AS m WHERE v.sector = m.sector"
        )
        for key, value in (("open_data_licence", payload(0)), ("accessibility_feedback_contact", payload(2))):
            con.execute("DELETE FROM settings WHERE key = ?", [key])
            con.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, value[:200]])
    finally:
        con.close()
    return target


# -- finding what a page would make live --

_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
_MARKDOWN_LINKS = (
    re.compile(r"\]\(\s*<?([^)>\s]*)"),  # [text](destination), ![alt](source)
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE),  # a reference definition
    re.compile(r"<((?:https?|mailto|ftp):[^>\s]*)>", re.IGNORECASE),  # an autolink
    re.compile(r"(?i)((?:https?://|www\.)[^\s<]*)"),  # a bare address, linked by GitHub-flavoured markdown
)
# A bare e-mail address becomes a mailto link whose target is the text shown: not counted.
_HTML_TAG = re.compile(r"<\s*[a-z]+\b[^>]*>", re.IGNORECASE)


def live_links_in_markdown(text: str) -> list[str]:
    """The link and image targets markdown ``text`` would render (backslash-escaped
    characters stand for themselves and start nothing; raw HTML counts too, as
    where the element allows it)."""
    unescaped = _ESCAPED.sub("\x00", text)
    found = [match.group(1) for pattern in _MARKDOWN_LINKS for match in pattern.finditer(unescaped)]
    for tag in _HTML_TAG.findall(unescaped):
        found += live_links_in_html(tag)
    return found


class _Targets(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "srcset", "action", "formaction", "data", "poster") and value:
                self.targets.append(value)


def live_links_in_html(text: str) -> list[str]:
    """The targets of every link, image, frame or form the HTML ``text`` holds."""
    parser = _Targets()
    parser.feed(text)
    return parser.targets


def points_at_evil(target: str) -> bool:
    """Whether a link or image target leads to evil.example (a link to one of the
    app's own pages carrying the payload in its query does not)."""
    url = html.unescape(target).strip().strip("\"'\\")
    if url.lower().startswith("www."):
        url = "http://" + url
    return EVIL in (urllib.parse.urlsplit(url).netloc or "")


# Elements that show their text as it is (st.text, st.code, st.json).
PLAIN_TEXT_ELEMENTS = {"text", "code", "json"}
_MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "captions"}


def _strings(message, fields=_MARKDOWN_FIELDS):
    """(field name, string) of every markdown-drawn string in a protobuf message, nested ones too."""
    for descriptor, value in message.ListFields():
        repeated = getattr(descriptor, "is_repeated", None)
        if repeated is None:
            repeated = descriptor.label == descriptor.LABEL_REPEATED
        values = value if repeated else [value]
        for item in values:
            if hasattr(item, "ListFields"):
                yield from _strings(item, fields)
            elif isinstance(item, str) and descriptor.name in fields:
                yield descriptor.name, item


def _elements(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _elements(child)


def evil_targets(at) -> list[str]:
    """Every link or image pointing at evil.example the page of AppTest ``at`` would show."""
    found = []
    for element in _elements(at._tree):
        proto = getattr(element, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        kind = getattr(element, "type", type(element).__name__)
        if kind in PLAIN_TEXT_ELEMENTS:
            continue
        if kind == "html":
            found += live_links_in_html(proto.body)
        elif kind == "plotly_chart":
            # Plotly reads <a href> and <img> in every label of a figure
            found += [t for tag in _HTML_TAG.findall(proto.spec) for t in live_links_in_html(tag.replace('\\"', '"'))]
        elif kind == "markdown" and getattr(proto, "allow_html", False):
            found += live_links_in_html(proto.body) + live_links_in_markdown(proto.body)
        else:
            for _name, text in _strings(proto):
                found += live_links_in_markdown(text)
    return [target for target in found if points_at_evil(target)]
