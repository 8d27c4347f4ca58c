"""The light public pages: the residents' view as plain HTML served by routes,
no websocket and no script run per visitor, built once per data version and
language (web/cache.py). The embed snippet points here; the Streamlit page
/public stays for interactive use. Same rules as every public page: only
published measures and public fields (the same named queries), money only
when the public setting allows, fi/sv/en, usable at 320 px and by keyboard,
axe-clean.

    /view                       the programme: headline, status, search and filters, measures, status by theme
    /view/measure?code=6.1      one measure: facts, description, what was done, decisions, money
    /view/feedback              the feedback form (GET) and its submission (POST)
    /view/accessibility         the accessibility statement
    /view/open-data.csv|.json   the published measures as open data

Every page takes ``lang``, ``programme`` and ``embed=true`` (inside the city's
page: links keep it, the page posts its height to embed.js and may be framed
by the origins the admin listed; see web/headers.py).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from tracker import db, i18n, search, settings, write
from tracker.errors import ValidationError
from tracker.present import charts, emissions, open_data
from tracker.present import public_html as h
from tracker.status import STATUSES
from tracker.write.feedback import MESSAGE_MAX, Feedback, TooManyFeedback
from web import cache
from web.cache import VersionedCache
from web.database import connection

VIEW = "/view"
MEASURE = "/view/measure"
FEEDBACK = "/view/feedback"
STATEMENT = "/view/accessibility"
OPEN_DATA = "/view/open-data"
# The largest feedback form body taken (the message is at most 4 000 characters,
# up to 4 bytes each once encoded, plus the other fields).
FEEDBACK_BODY_MAX = 24_000
HONEYPOT = "website"

_pages = VersionedCache()


# -- who is reading, and where --


@dataclass(frozen=True)
class Reader:
    """A request's language, embedding and choices, as the pages use them."""

    lang: str
    embed: bool
    programme_id: int | None = None
    theme: int | None = None
    status: str | None = None
    query: str = ""
    code: str | None = None
    kind: str = "general"
    sent: bool = False
    extra: tuple = field(default=())

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)

    def url(self, path: str, *, lang: str | None = None, **params) -> str:
        """A root-relative link that keeps the language, the programme and embedding."""
        query = {"lang": lang or self.lang, "programme": self.programme_id, **params}
        if self.embed:
            query["embed"] = "true"
        return f"{path}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def reader_of(request: Request) -> Reader:
    params = request.query_params
    status = params.get("status")
    return Reader(
        lang=i18n.normalise_language(params.get("lang")),
        embed=params.get("embed") == "true",
        programme_id=_int(params.get("programme")),
        theme=_int(params.get("theme")),
        status=status if status in STATUSES else None,
        query=search.clean_query(params.get("q")),
        code=(params.get("code") or "").strip()[:40] or None,
        kind=params.get("kind") if params.get("kind") in ("general", "measure", "accessibility") else "general",
        sent=params.get("sent") == "1",
    )


def _query(name: str, **params) -> pd.DataFrame:
    return db.query(connection(), name, **params)


def _settings() -> dict:
    return settings.all_settings(connection())


def _programme(reader: Reader, configured: int | None) -> pd.Series | None:
    """The programme in the URL, else the one configured for the public view, else the default."""
    available = _query("programmes", lang=reader.lang)
    if available.empty:
        return None
    ids = available["id"].tolist()
    current = reader.programme_id
    if current not in ids:
        current = configured if configured in ids else ids[0]
    return available.set_index("id").loc[current].rename(current)


# -- the document --

STYLE = """
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;
 color:#1a1a1a;background:#fff;-webkit-text-size-adjust:100%}
body{margin:0}
#page{max-width:60rem;margin:0 auto;padding:0.75rem 1rem 1.5rem}
h1,h2,h3{line-height:1.25;overflow-wrap:break-word;hyphens:auto}
h1{font-size:1.7rem;margin:0.4rem 0}
h2{font-size:1.3rem;margin:1.6rem 0 0.5rem}
h3{font-size:1.05rem;margin:1rem 0 0.4rem}
a{color:#005a8c}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,
summary:focus-visible,.public-table:focus-visible{outline:3px solid #0072B2;outline-offset:2px}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:0.5rem;top:0.5rem;background:#fff;padding:0.5rem;z-index:10}
.public-languages ul,.public-measures,.public-timeline,.public-decisions,.status-legend{list-style:none;padding:0;
 margin:0}
.public-languages li{display:inline-block;margin-right:1em}
.public-languages a,.public-languages span{display:inline-block;padding:0.3rem 0}
.public-measures li{margin:0 0 0.55em 0;overflow-wrap:anywhere}
.public-timeline li{margin:0 0 0.8em 0;overflow-wrap:anywhere}
.public-decision{border-left:4px solid #8a8a8a;padding:0.1rem 0 0.1rem 0.75rem;margin:0 0 1rem 0}
.public-decision h3{margin-top:0.2rem}
.public-decision p{margin:0.2rem 0}
.public-note{color:#505050;font-size:0.875rem;margin:0 0 0.5em 0}
.public-note-inline{color:#505050;font-size:0.875rem}
.public-headline{font-size:1.25rem;margin:0.6rem 0}
.public-headline strong{font-size:2.2rem;margin-right:0.2rem}
.status-bar{display:flex;height:1.3rem;border-radius:0.3rem;overflow:hidden;background:#e5e5e5;margin:0.4rem 0}
.status-bar span{display:block;height:100%}
.status-legend{display:flex;flex-wrap:wrap;gap:0.4rem 1.1rem;margin:0.3rem 0 0.5rem}
.theme-bar{margin:0 0 0.6rem}
.theme-name{display:block;font-size:0.95rem;overflow-wrap:anywhere}
.notice{border:1px solid #0072B2;background:#eef6fc;padding:0.6rem 0.8rem;border-radius:0.3rem;margin:0.6rem 0}
.public-facts{margin:0 0 1em 0}
.public-facts dt{font-weight:600}
.public-facts dd{margin:0 0 0.4em 0}
.public-table{overflow-x:auto;max-width:100%;margin-bottom:1em}
.public-table table{border-collapse:collapse;font-size:0.9rem}
.public-table caption{text-align:left;font-weight:600;padding-bottom:0.3em}
.public-table th,.public-table td{border-bottom:1px solid #8a8a8a;padding:0.25em 0.5em;text-align:left}
.public-table td.number,.public-table th.number{text-align:right;white-space:nowrap}
form.search{margin:1rem 0 0.5rem;padding:0.75rem;border:1px solid #8a8a8a;border-radius:0.4rem}
label{display:block;font-weight:600;margin:0.5rem 0 0.2rem}
input[type=search],input[type=text],input[type=email],select,textarea{font:inherit;width:100%;max-width:32rem;
 padding:0.45rem 0.5rem;border:1px solid #6b6b6b;border-radius:0.3rem;background:#fff;color:#1a1a1a}
textarea{max-width:100%;min-height:9rem}
button{font:inherit;min-height:2.75rem;padding:0.4rem 1rem;margin-top:0.5rem;border:1px solid #005a8c;
 background:#005a8c;color:#fff;border-radius:0.3rem;cursor:pointer}
.search-row{display:flex;flex-wrap:wrap;gap:0 0.5rem;align-items:flex-end}
.search-row input{flex:1 1 12rem}
details.filters{margin-top:0.6rem}
details.filters summary{cursor:pointer;padding:0.4rem 0;color:#005a8c;text-decoration:underline}
.check{display:flex;gap:0.5rem;align-items:flex-start;font-weight:400}
.check input{width:1.25rem;height:1.25rem;margin-top:0.15rem;flex:none}
.hint{color:#505050;font-size:0.9rem;margin:0 0 0.2rem}
.field-error{color:#a4000f;font-weight:600;margin:0.2rem 0}
.errors{border:2px solid #a4000f;padding:0.5rem 0.8rem;border-radius:0.3rem;margin:0.8rem 0}
.honey{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
footer{margin-top:2rem;border-top:1px solid #8a8a8a;padding-top:0.6rem;font-size:0.95rem}
footer p{margin:0.3rem 0}
"""

# Inside the city's page: tell embed.js the page's height whenever it changes (a
# filter, a <details> opened, fonts loaded), so the iframe never scrolls inside.
POST_HEIGHT = """<script>(() => {
  if (window.parent === window) return;
  const page = document.getElementById("page");
  let last = 0;
  const post = () => {
    const height = Math.ceil(page.getBoundingClientRect().height);
    if (height !== last) { last = height; window.parent.postMessage({type: "tracker:height", height}, "*"); }
  };
  new ResizeObserver(post).observe(page);
  window.addEventListener("load", post);
  // embed.js asks again when it starts after this page has posted (it loads async)
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data && event.data.type === "tracker:height?") { last = 0; post(); }
  });
  post();
})();</script>"""


def language_nav(reader: Reader, url_for) -> str:
    items = []
    for code, name in (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")):
        if code == reader.lang:
            items.append(f'<li><span lang="{code}" aria-current="true"><strong>{h.esc(name)}</strong></span></li>')
        else:
            items.append(f'<li><a href="{h.esc(url_for(code))}" lang="{code}" hreflang="{code}">{h.esc(name)}</a></li>')
    return (
        f'<nav aria-label="{h.esc(reader.t("public.language_nav"))}" class="public-languages">'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def document(reader: Reader, title: str, main: str, *, url_for, footer: str = "", feed: str | None = None) -> str:
    """A whole page: the reader's language from the first byte, a skip link, the
    language links, the main content, the footer; the height script when embedded."""
    feed_link = (
        f'<link rel="alternate" type="application/atom+xml" href="{h.esc(feed)}" title="{h.esc(title)}">'
        if feed
        else ""
    )
    alternates = "".join(
        f'<link rel="alternate" hreflang="{code}" href="{h.esc(url_for(code))}">'
        for code in i18n.LANGUAGES
        if code != reader.lang
    )
    return (
        f'<!doctype html><html lang="{reader.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{h.esc(title)}</title>{feed_link}{alternates}"
        f"<style>{STYLE}</style></head><body>"
        f'<div id="page"><a class="skip" href="#main">{h.esc(reader.t("view.skip"))}</a>'
        f"<header>{language_nav(reader, url_for)}</header>"
        f'<main id="main" tabindex="-1">{main}</main>'
        f"<footer>{footer}</footer></div>"
        f"{POST_HEIGHT if reader.embed else ''}</body></html>"
    )


def footer(reader: Reader, programme: pd.Series | None) -> str:
    parts = [f'<a href="{h.esc(reader.url(STATEMENT))}">{h.esc(reader.t("public.accessibility_link"))}</a>']
    if programme is not None:
        parts.append(h.esc(reader.t("public.data_by", organisation=programme["organisation"])))
    return "<p>" + " · ".join(parts) + "</p>"


def _section(heading_id: str, heading: str, body: str) -> str:
    return f'<section aria-labelledby="{heading_id}"><h2 id="{heading_id}">{h.esc(heading)}</h2>{body}</section>'


def _period(reader: Reader, programme: pd.Series) -> str:
    caption = programme["organisation"]
    if not h.missing(programme["start_year"]):
        caption += " · " + reader.t(
            "overview.period", start=int(programme["start_year"]), end=int(programme["end_year"])
        )
    return h.note(caption)


def _demo_notice(reader: Reader, programme: pd.Series, show_money: bool) -> str:
    """In a demo programme: the one real measure with its status, money and decision."""
    if not programme["is_demo"]:
        return ""
    notices = []
    real = _query("demo_real_measures", programme_id=int(programme.name), lang=reader.lang, include_unpublished=False)
    for row in real.itertuples():
        details = []
        if show_money and not h.missing(row.first_year):
            per_year = not h.missing(row.planned_per_year)
            details.append(
                reader.t(
                    "app.demo_money_per_year" if per_year else "app.demo_money_total",
                    amount=i18n.format_eur(row.planned_per_year if per_year else row.planned_eur, reader.lang),
                    first=row.first_year,
                    last=row.last_year,
                )
            )
        if not h.missing(row.decision_body):
            outcome = reader.t(f"outcome.{row.decision_outcome}")
            if not h.missing(row.decision_unanimous) and row.decision_unanimous:
                outcome += " " + reader.t("measure.unanimous")
            details.append(reader.t("app.demo_decision", body=row.decision_body, outcome=outcome.lower()))
        link = f'<a href="{h.esc(reader.url(MEASURE, code=row.code))}">{h.esc(row.code)} {h.esc(row.title)}</a>'
        notices.append(
            '<div class="notice"><p>'
            + reader.t(
                "view.demo_notice",
                link=link,
                status=h.esc(h.status_text(row.status, reader.lang)),
                details=h.esc("".join(f" · {d}" for d in details)),
            )
            + "</p></div>"
        )
    return "".join(notices)


# -- the programme page --


def _search_form(reader: Reader, themes: pd.DataFrame) -> str:
    """One form: the search field in sight, theme and status behind one <details> (open when used)."""
    hidden = f'<input type="hidden" name="lang" value="{reader.lang}">'
    if reader.programme_id is not None:
        hidden += f'<input type="hidden" name="programme" value="{reader.programme_id}">'
    if reader.embed:
        hidden += '<input type="hidden" name="embed" value="true">'
    theme_options = [f'<option value="">{h.esc(reader.t("public.all_themes"))}</option>'] + [
        f'<option value="{int(t.position)}"{" selected" if reader.theme == int(t.position) else ""}>'
        f"{h.esc(t.name)}</option>"
        for t in themes.itertuples()
    ]
    status_options = [f'<option value="">{h.esc(reader.t("public.all_statuses"))}</option>'] + [
        f'<option value="{s}"{" selected" if reader.status == s else ""}>'
        f"{h.esc(h.status_text(s, reader.lang))}</option>"
        for s in STATUSES
    ]
    filtered = reader.theme is not None or reader.status is not None
    return (
        f'<form class="search" role="search" method="get" action="{VIEW}">{hidden}'
        f'<label for="q">{h.esc(reader.t("view.search_label"))}</label>'
        f'<p class="hint" id="q-hint">{h.esc(reader.t("view.search_hint"))}</p>'
        '<div class="search-row">'
        f'<input type="search" id="q" name="q" value="{h.esc(reader.query)}" maxlength="{search.QUERY_MAX}"'
        ' aria-describedby="q-hint" autocomplete="off">'
        f'<button type="submit">{h.esc(reader.t("view.search_button"))}</button></div>'
        f'<details class="filters"{" open" if filtered else ""}><summary>{h.esc(reader.t("view.filters"))}</summary>'
        f'<label for="theme">{h.esc(reader.t("public.theme_filter"))}</label>'
        f'<select id="theme" name="theme">{"".join(theme_options)}</select>'
        f'<label for="status">{h.esc(reader.t("public.status_filter"))}</label>'
        f'<select id="status" name="status">{"".join(status_options)}</select>'
        f'<div><button type="submit">{h.esc(reader.t("view.show"))}</button></div></details></form>'
    )


def _measures_section(reader: Reader, programme_id: int) -> str:
    link = lambda code: reader.url(MEASURE, code=code)  # noqa: E731
    if reader.query:
        found = _query(
            "public_search",
            programme_id=programme_id,
            lang=reader.lang,
            query=reader.query,
            prefixes=search.query_prefixes(reader.lang, reader.query),
        )
        if reader.theme is not None:
            found = found[found["theme_position"] == reader.theme]
        if reader.status is not None:
            found = found[found["status"] == reader.status]
        everything = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("view.show_all"))}</a></p>'
        if found.empty:
            body = f'<p role="status">{h.esc(reader.t("view.no_results", query=reader.query))}</p>{everything}'
        else:
            count = reader.t("view.results_count", query=reader.query, count=len(found))
            body = f'<p role="status">{h.esc(count)}</p>{h.measure_results(found, link, reader.lang)}{everything}'
        return _section("measures-heading", reader.t("view.results"), body)
    measures = _query(
        "public_measures",
        programme_id=programme_id,
        lang=reader.lang,
        theme_position=reader.theme,
        status=reader.status,
        today=cache.today(),
    )
    if measures.empty:
        body = f"<p>{h.esc(reader.t('public.none_match'))}</p>"
    else:
        body = h.note(reader.t("public.measures_count", shown=len(measures))) + h.measure_groups(
            measures, link, reader.lang
        )
    return _section("measures-heading", reader.t("public.measures"), body)


def _by_theme_section(reader: Reader, programme_id: int) -> str:
    counts = _query(
        "theme_status_counts",
        programme_id=programme_id,
        lang=reader.lang,
        include_unpublished=False,
        today=cache.today(),
    )
    if reader.theme is not None:
        counts = counts[counts["position"] == reader.theme]
    counts = counts[counts["theme_total"] > 0]
    if counts.empty:
        return ""
    table = charts.status_by_theme_table(counts, reader.lang)
    body = (
        f"<p>{h.esc(charts.status_by_theme_summary(counts, reader.lang))}</p>"
        + h.theme_bars(counts, reader.lang)
        + h.html_table(
            table.values.tolist(),
            list(table.columns),
            reader.t("public.table_caption"),
            numbers=set(range(1, len(table.columns))),
        )
    )
    return _section("by-theme-heading", reader.t("public.by_theme"), body)


def _emissions_section(reader: Reader, programme: pd.Series) -> str:
    """The municipality's emissions against its target as the overview and the board report
    say them (the gap sentence, the target, the table behind their chart, the source);
    nothing when no SYKE figures are imported or the emissions indicator is not published."""
    organisation_id = int(programme["organisation_id"])
    source = _query("emission_source", organisation_id=organisation_id, lang=reader.lang)
    if source.empty or not bool(source.iloc[0]["is_published"]):
        return ""
    totals = _query("emission_totals", organisation_id=organisation_id)
    path = _query("emission_target_path", organisation_id=organisation_id, pace_years=emissions.PACE_YEARS)
    section = emissions.report_section_of(totals, path, source, reader.lang)
    if section is None:
        return ""
    table = h.html_table(
        section.rows, section.headers, reader.t("chart.data_table"), numbers=set(range(1, len(section.headers)))
    )
    body = (
        f"<p>{h.esc(section.sentence)}</p>"
        + (f"<p>{h.esc(section.target)}</p>" if section.target else "")
        + f"<details><summary>{h.esc(reader.t('chart.data_table'))}</summary>{table}</details>"
        + (f'<p class="source">{h.esc(section.source)}</p>' if section.source else "")
    )
    return _section("emissions-heading", section.heading, body)


def _open_data_section(reader: Reader, licence: str, licence_url: str) -> str:
    # The downloads stay (a file, not a page); the licence, the feed and the API leave the
    # view, and embedded they open a new tab: framed, they would break the city's page.
    leaving = h.leaving(reader.embed)
    licence_link = f'<a href="{h.esc(licence_url)}"{leaving}>{h.esc(licence)}</a>' if licence_url else h.esc(licence)
    links = [
        (reader.url(OPEN_DATA + ".csv"), reader.t("public.download_csv"), ""),
        (reader.url(OPEN_DATA + ".json"), reader.t("public.download_json"), ""),
        (feed_url(reader), reader.t("view.feed_link"), leaving),
        (f"/api/v1/measures?programme={reader.programme_id}&lang={reader.lang}", reader.t("view.api_link"), leaving),
    ]
    items = "".join(f'<li><a href="{h.esc(url)}"{extra}>{h.esc(label)}</a></li>' for url, label, extra in links)
    body = f"<p>{reader.t('view.open_data_text', licence=licence_link)}</p><ul>{items}</ul>"
    return _section("open-data-heading", reader.t("public.open_data"), body)


def _feedback_section(reader: Reader, **params) -> str:
    link = f'<a href="{h.esc(reader.url(FEEDBACK, **params))}">{h.esc(reader.t("view.feedback_link"))}</a>'
    return _section(
        "feedback-heading",
        reader.t("view.feedback_heading"),
        f"<p>{h.esc(reader.t('view.feedback_text'))}</p><p>{link}</p>",
    )


def feed_url(reader: Reader) -> str:
    return f"/feed?{urlencode({'programme': reader.programme_id, 'lang': reader.lang})}"


def programme_page(reader: Reader) -> tuple[int, str]:
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    if programme is None:
        main = f"<h1>{h.esc(reader.t('app.title'))}</h1><p>{h.esc(reader.t('app.no_data'))}</p>"
        return 200, document(reader, reader.t("app.title"), main, url_for=lambda code: reader.url(VIEW, lang=code))
    programme_id = int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    show_money = stored["public_show_money"]
    headline = _query("public_headline", programme_id=programme_id, theme_position=None).iloc[0]
    parts = [
        f"<h1>{h.esc(programme['name'])}</h1>",
        _period(reader, programme),
        _demo_notice(reader, programme, show_money),
    ]
    if int(headline["total"]) == 0:
        parts.append(f"<p>{h.esc(reader.t('overview.no_measures'))}</p>")
    else:
        counts = _query(
            "theme_status_counts",
            programme_id=programme_id,
            lang=reader.lang,
            include_unpublished=False,
            today=cache.today(),
        )
        by_status = counts.groupby("status", sort=False)["measures"].sum().astype(int).to_dict()
        parts.append(
            _section(
                "status-heading",
                reader.t("view.status_heading"),
                h.headline(int(headline["done"]), int(headline["total"]), reader.lang)
                + h.status_bar(by_status, reader.lang),
            )
        )
        themes = _query("programme_themes", programme_id=programme_id, lang=reader.lang)
        parts.append(_search_form(reader, themes))
        parts.append(_measures_section(reader, programme_id))
        parts.append(_by_theme_section(reader, programme_id))
    parts.append(_emissions_section(reader, programme))
    parts.append(_feedback_section(reader))
    parts.append(_open_data_section(reader, stored["open_data_licence"], stored["open_data_licence_url"]))
    params = {"theme": reader.theme, "status": reader.status, "q": reader.query or None}
    title = f"{programme['name']} – {programme['organisation']}"
    return 200, document(
        reader,
        title,
        "".join(parts),
        url_for=lambda code: reader.url(VIEW, lang=code, **params),
        footer=footer(reader, programme),
        feed=feed_url(reader),
    )


# -- one measure --


def measure_page(reader: Reader) -> tuple[int, str]:
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    url_for = lambda code: reader.url(MEASURE, lang=code, code=reader.code)  # noqa: E731
    if programme is None:
        main = f"<h1>{h.esc(reader.t('app.title'))}</h1><p>{h.esc(reader.t('app.no_data'))}</p>"
        return 404, document(reader, reader.t("app.title"), main, url_for=url_for)
    programme_id = int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    back = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("public.back"))}</a></p>'
    found = (
        _query("public_measure", programme_id=programme_id, code=reader.code, lang=reader.lang, today=cache.today())
        if reader.code
        else pd.DataFrame()
    )
    if found.empty:
        message = reader.t("public.measure_not_found", code=reader.code or "–")
        main = f"{back}<h1>{h.esc(reader.t('nav.measure'))}</h1><p>{h.esc(message)}</p>"
        return 404, document(reader, message, main, url_for=url_for, footer=footer(reader, programme))
    measure = found.iloc[0]
    measure_id = int(measure["id"])
    title = f"{measure['code']} {measure['title']}"
    parts = [back, f"<h1>{h.esc(title)}</h1>", h.measure_facts(measure, reader.lang)]
    if measure["is_illustrative"] and programme["is_demo"]:
        parts.append(h.note("ⓘ " + reader.t("app.illustrative")))
    parts.append(
        _section(
            "description-heading", reader.t("measure.description"), h.description(measure["description"], reader.lang)
        )
    )
    events = _query("public_measure_events", measure_id=measure_id)
    parts.append(
        _section(
            "timeline-heading",
            reader.t("public.timeline"),
            h.timeline(events, reader.lang) if not events.empty else h.note(reader.t("measure.timeline_empty")),
        )
    )
    decisions = _query("public_measure_decisions", measure_id=measure_id)
    parts.append(
        _section(
            "decisions-heading",
            reader.t("measure.decisions"),
            h.decisions(decisions, reader.lang, new_window=reader.embed)
            if not decisions.empty
            else h.note(reader.t("measure.decisions_none")),
        )
    )
    if stored["public_show_money"]:
        money = _query("public_measure_money", measure_id=measure_id)
        parts.append(
            _section(
                "money-heading",
                reader.t("measure.money"),
                h.money(money, reader.lang) if not money.empty else h.note(reader.t("measure.money_none")),
            )
        )
    feedback = reader.url(FEEDBACK, kind="measure", code=measure["code"])
    parts.append(
        _section(
            "feedback-heading",
            reader.t("view.feedback_heading"),
            f'<p><a href="{h.esc(feedback)}">{h.esc(reader.t("view.feedback_measure_link"))}</a></p>',
        )
    )
    return 200, document(
        reader,
        f"{title} – {programme['name']}",
        "".join(parts),
        url_for=url_for,
        footer=footer(reader, programme),
        feed=feed_url(reader),
    )


# -- feedback --


def _feedback_subject(reader: Reader, programme_id: int | None) -> tuple[str, pd.Series | None]:
    """The form's heading, and the measure it is about (kind "measure" with a published code)."""
    if reader.kind == "measure" and reader.code and programme_id is not None:
        found = _query(
            "public_measure", programme_id=programme_id, code=reader.code, lang=reader.lang, today=cache.today()
        )
        if not found.empty:
            measure = found.iloc[0]
            return reader.t("feedback.title_measure", measure=f"{measure['code']} {measure['title']}"), measure
    if reader.kind == "accessibility":
        return reader.t("feedback.title_accessibility"), None
    return reader.t("feedback.title"), None


def feedback_page(reader: Reader, *, values: dict | None = None, problems: dict | None = None) -> tuple[int, str]:
    """The form (with the problems of a refused submission beside their fields), or the thanks."""
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    programme_id = None if programme is None else int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    heading, measure = _feedback_subject(reader, programme_id)
    url_for = lambda code: reader.url(FEEDBACK, lang=code, kind=reader.kind, code=reader.code)  # noqa: E731
    back_url = reader.url(MEASURE, code=reader.code) if measure is not None else reader.url(VIEW)
    if reader.kind == "accessibility":
        back_url = reader.url(STATEMENT)
    back = f'<p><a href="{h.esc(back_url)}">{h.esc(reader.t("feedback.back"))}</a></p>'
    if reader.sent:
        main = (
            f"{back}<h1>{h.esc(reader.t('feedback.sent_title'))}</h1>"
            f'<p role="status">{h.esc(reader.t("feedback.sent"))}</p>'
        )
        return 200, document(
            reader, reader.t("feedback.sent_title"), main, url_for=url_for, footer=footer(reader, programme)
        )
    values = values or {}
    problems = problems or {}
    days = stored["feedback_contact_retention_days"]
    hidden = {"lang": reader.lang, "programme": programme_id, "kind": reader.kind, "code": reader.code}
    if reader.embed:
        hidden["embed"] = "true"
    hidden_html = "".join(
        f'<input type="hidden" name="{k}" value="{h.esc(v)}">' for k, v in hidden.items() if v not in (None, "")
    )

    def error(name: str) -> str:
        if name not in problems:
            return ""
        key, params = problems[name]
        return f'<p class="field-error" id="{name}-error">{h.esc(reader.t(key, **params))}</p>'

    def described(name: str, *hints: str) -> str:
        ids = [*hints, *([f"{name}-error"] if name in problems else [])]
        invalid = ' aria-invalid="true"' if name in problems else ""
        return (f' aria-describedby="{" ".join(ids)}"' if ids else "") + invalid

    summary = ""
    if problems:
        labels = {
            "message": reader.t("feedback.message"),
            "name": reader.t("feedback.name"),
            "email": reader.t("feedback.email"),
            "consent": reader.t("feedback.consent_short"),
        }
        items = "".join(
            f'<li><a href="#{name}">{h.esc(labels.get(name, name))}: {h.esc(reader.t(key, **params))}</a></li>'
            for name, (key, params) in problems.items()
        )
        summary = (
            f'<div class="errors" role="alert"><h2>{h.esc(reader.t("feedback.problems"))}</h2><ul>{items}</ul></div>'
        )
    consent_checked = " checked" if values.get("consent") else ""
    # Inside the city's page the answer to the post (a refusal, too many, too large) must
    # be framable too, and the framing rule (web/headers.py) reads only the URL's embed.
    # The language rides in the URL as well: a post that fails before its body is read
    # (the database unavailable: web/errors.py) is still answered in it.
    action = f"{FEEDBACK}?{urlencode({'lang': reader.lang, **({'embed': 'true'} if reader.embed else {})})}"
    form = (
        f'<form method="post" action="{h.esc(action)}" novalidate>{hidden_html}'
        f'<label for="message">{h.esc(reader.t("feedback.message"))}</label>'
        f'<p class="hint" id="message-hint">{h.esc(reader.t("feedback.message_hint", max=MESSAGE_MAX))}</p>'
        f"{error('message')}"
        f'<textarea id="message" name="message" maxlength="{MESSAGE_MAX}" required'
        f"{described('message', 'message-hint')}>"
        f"{h.esc(values.get('message', ''))}</textarea>"
        f'<label for="name">{h.esc(reader.t("feedback.name"))}</label>{error("name")}'
        f'<input type="text" id="name" name="name" maxlength="200" autocomplete="name"'
        f' value="{h.esc(values.get("name", ""))}"{described("name")}>'
        f'<label for="email">{h.esc(reader.t("feedback.email"))}</label>'
        f'<p class="hint" id="email-hint">{h.esc(reader.t("feedback.email_hint"))}</p>{error("email")}'
        f'<input type="email" id="email" name="email" maxlength="254" autocomplete="email"'
        f' value="{h.esc(values.get("email", ""))}"{described("email", "email-hint")}>'
        f'<div class="honey" aria-hidden="true"><label for="{HONEYPOT}">{h.esc(reader.t("feedback.honeypot"))}</label>'
        f'<input type="text" id="{HONEYPOT}" name="{HONEYPOT}" tabindex="-1" autocomplete="off"></div>'
        f"{error('consent')}"
        f'<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes"'
        f"{consent_checked}{described('consent')}> "
        f"<span>{h.esc(reader.t('feedback.consent', days=days))}</span></label>"
        f'<button type="submit">{h.esc(reader.t("feedback.submit"))}</button></form>'
    )
    main = (
        f"{back}<h1>{h.esc(heading)}</h1>{summary}"
        f"<p>{h.esc(reader.t('feedback.intro'))}</p>"
        f"{h.note(reader.t('feedback.privacy', days=days))}{form}"
    )
    status = 422 if problems else 200
    return status, document(reader, heading, main, url_for=url_for, footer=footer(reader, programme))


def _same_origin(request: Request) -> bool:
    """A browser's form post names its page's origin; one from another site is refused."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _form_body(request: Request) -> dict[str, str] | None:
    """The url-encoded form, or None when it is larger than FEEDBACK_BODY_MAX."""
    declared = _int(request.headers.get("content-length"))
    if declared is not None and declared > FEEDBACK_BODY_MAX:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FEEDBACK_BODY_MAX:
            return None
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=20)
    return {key: values[0] for key, values in fields.items()}


def _receive(reader: Reader, form: dict, address: str | None) -> tuple[int, str] | str:
    """Store the feedback; the redirect target on success, else the page to answer with."""
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    programme_id = None if programme is None else int(programme.name)
    measure_id = None
    if reader.kind == "measure" and reader.code and programme_id is not None:
        found = _query(
            "public_measure", programme_id=programme_id, code=reader.code, lang=reader.lang, today=cache.today()
        )
        measure_id = None if found.empty else int(found.iloc[0]["id"])
    item = Feedback(
        kind=reader.kind,
        lang=reader.lang,
        message=form.get("message", ""),
        programme_id=programme_id,
        measure_id=measure_id,
        name=form.get("name"),
        email=form.get("email"),
        consent=form.get("consent") == "yes",
    )
    try:
        write.feedback.receive(
            connection(), item, address=address, retention_days=stored["feedback_contact_retention_days"]
        )
    except ValidationError as invalid:
        return feedback_page(reader, values=form, problems=invalid.problems)
    except TooManyFeedback:
        main = f'<h1>{h.esc(reader.t("feedback.title"))}</h1><p role="alert">{h.esc(reader.t("feedback.too_many"))}</p>'
        return 429, document(reader, reader.t("feedback.title"), main, url_for=lambda code: reader.url(VIEW, lang=code))
    return replace(reader, programme_id=programme_id).url(FEEDBACK, kind=reader.kind, code=reader.code, sent="1")


async def feedback_post(request: Request) -> Response:
    if not _same_origin(request):
        return Response("Forbidden", status_code=403, media_type="text/plain")
    form = await _form_body(request)
    if form is None:
        return Response("Payload Too Large", status_code=413, media_type="text/plain")
    addressed = reader_of(request)
    reader = replace(
        addressed,
        lang=i18n.normalise_language(form.get("lang")),
        # an embedded form says so in its action's URL (what the framing rule reads) and its body
        embed=addressed.embed or form.get("embed") == "true",
        programme_id=_int(form.get("programme")),
        kind=form.get("kind") if form.get("kind") in ("general", "measure", "accessibility") else "general",
        code=(form.get("code") or "").strip()[:40] or None,
    )
    if form.get(HONEYPOT):
        # A robot filled the field people never see: thank it, keep nothing.
        return RedirectResponse(reader.url(FEEDBACK, kind=reader.kind, code=reader.code, sent="1"), status_code=303)
    address = request.client.host if request.client else None
    outcome = await run_in_threadpool(_receive, reader, form, address)
    if isinstance(outcome, str):
        return RedirectResponse(outcome, status_code=303)
    status, body = outcome
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


# -- the accessibility statement --


def statement_page(reader: Reader) -> tuple[int, str]:
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    if programme is not None:
        reader = replace(reader, programme_id=int(programme.name))
    organisation = reader.t("app.title") if programme is None else programme["organisation"]
    feedback = reader.url(FEEDBACK, kind="accessibility")
    main = h.statement(reader.lang, organisation, stored, feedback_url=feedback, heading="h2", new_window=reader.embed)
    back = f'<p><a href="{h.esc(reader.url(VIEW))}">{h.esc(reader.t("accessibility.back"))}</a></p>'
    return 200, document(
        reader,
        reader.t("accessibility.title"),
        f"<h1>{h.esc(reader.t('accessibility.title'))}</h1>{main}{back}",
        url_for=lambda code: reader.url(STATEMENT, lang=code),
        footer=footer(reader, programme),
    )


# -- open data --


def open_data_file(reader: Reader, kind: str) -> tuple[int, bytes]:
    stored = _settings()
    programme = _programme(reader, stored["public_programme_id"])
    if programme is None:
        return 404, b""
    show_money = stored["public_show_money"]
    rows = _query("public_open_data", programme_id=int(programme.name), lang=reader.lang, include_money=show_money)
    if kind == "csv":
        return 200, open_data.measures_csv(rows, reader.lang, include_money=show_money)
    return 200, open_data.measures_json(
        rows,
        reader.lang,
        include_money=show_money,
        organisation=programme["organisation"],
        programme=programme["name"],
        licence=stored["open_data_licence"],
        licence_url=stored["open_data_licence_url"],
    )


# -- the routes --


@dataclass(frozen=True)
class Built:
    """A page as it is served: its status, its bytes, and the same gzipped (most browsers take it)."""

    status: int
    body: bytes
    gzipped: bytes


def _built(build, reader: Reader) -> Built:
    status, html = build(reader)
    body = html.encode("utf-8")
    return Built(status, body, gzip.compress(body, compresslevel=6))


async def _cached_html(request: Request, build) -> Response:
    """A light page from the cache of this data version: a visitor's request is a lookup on
    the event loop (no thread, no query); building, once per version, runs in the thread pool."""
    reader = reader_of(request)
    key = (request.url.path, reader)
    hit = _pages.peek(key)
    if hit is None:
        hit = await run_in_threadpool(_pages.get, key, lambda: _built(build, reader))
    version, built = hit
    etag = f'"v{version}-{abs(hash(key)) % 10**12}"'
    headers = {"Cache-Control": "no-cache", "ETag": etag, "Vary": "Accept-Encoding"}
    if built.status == 200 and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = built.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = built.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=built.status, headers=headers, media_type="text/html; charset=utf-8")


async def view(request: Request) -> Response:
    return await _cached_html(request, programme_page)


async def view_measure(request: Request) -> Response:
    return await _cached_html(request, measure_page)


async def view_feedback(request: Request) -> Response:
    return await _cached_html(request, feedback_page)


async def view_statement(request: Request) -> Response:
    return await _cached_html(request, statement_page)


def _open_data(request: Request, kind: str) -> Response:
    reader = reader_of(request)
    _version, (status, body) = _pages.get((kind, reader), lambda: open_data_file(reader, kind))
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    name = f"climate-programme-{reader.programme_id or 'default'}-{reader.lang}.{kind}"
    return Response(
        body, status_code=status, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def open_data_csv(request: Request) -> Response:
    return _open_data(request, "csv")


def open_data_json(request: Request) -> Response:
    return _open_data(request, "json")


def routes() -> list[Route]:
    return [
        Route(VIEW, view, methods=["GET"]),
        Route(MEASURE, view_measure, methods=["GET"]),
        Route(FEEDBACK, view_feedback, methods=["GET"]),
        Route(FEEDBACK, feedback_post, methods=["POST"]),
        Route(STATEMENT, view_statement, methods=["GET"]),
        Route(OPEN_DATA + ".csv", open_data_csv, methods=["GET"]),
        Route(OPEN_DATA + ".json", open_data_json, methods=["GET"]),
    ]
