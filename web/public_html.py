"""What every light public page shares (web/public_pages.py lists the pages):
who is reading (language, embedding, choices) and the links that keep it, the
programme shown, the whole HTML document around a page's content, its footer
and sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from starlette.requests import Request

from tracker import db, i18n, search, settings
from tracker.present import public_html as h
from tracker.present.embed_height import post_height_script
from tracker.status import STATUSES
from web import cache
from web.database import connection

VIEW = "/view"
MEASURE = "/view/measure"
FEEDBACK = "/view/feedback"
STATEMENT = "/view/accessibility"
OPEN_DATA = "/view/open-data"

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


def parse_int(value: str | None) -> int | None:
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
        programme_id=parse_int(params.get("programme")),
        theme=parse_int(params.get("theme")),
        status=status if status in STATUSES else None,
        query=search.clean_query(params.get("q")),
        code=(params.get("code") or "").strip()[:40] or None,
        kind=params.get("kind") if params.get("kind") in ("general", "measure", "accessibility") else "general",
        sent=params.get("sent") == "1",
    )


def run_query(name: str, **params) -> pd.DataFrame:
    return db.query(connection(), name, **params)


def public_settings() -> dict:
    return settings.all_settings(connection())


def chosen_programme(reader: Reader, configured: int | None) -> pd.Series | None:
    """The programme in the URL, else the one configured for the public view, else the default."""
    available = run_query("programmes", lang=reader.lang)
    if available.empty:
        return None
    ids = available["id"].tolist()
    current = reader.programme_id
    if current not in ids:
        current = configured if configured in ids else ids[0]
    return available.set_index("id").loc[current].rename(current)


def published_measure(reader: Reader, programme_id: int) -> pd.Series | None:
    """The published measure the reader's code names in this programme, or None."""
    if not reader.code:
        return None
    found = run_query(
        "public_measure", programme_id=programme_id, code=reader.code, lang=reader.lang, today=cache.today()
    )
    return None if found.empty else found.iloc[0]


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

POST_HEIGHT = post_height_script("#page")


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


def section(heading_id: str, heading: str, body: str) -> str:
    return f'<section aria-labelledby="{heading_id}"><h2 id="{heading_id}">{h.esc(heading)}</h2>{body}</section>'


def feed_url(reader: Reader) -> str:
    return f"/feed?{urlencode({'programme': reader.programme_id, 'lang': reader.lang})}"
