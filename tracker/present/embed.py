"""The embed snippet for a city's web page, in one copy for the embed builder
page and ``python -m tracker embed-snippet``: an iframe of the light public
view (/view?embed=true, plain HTML, no websocket) and the app's own /embed.js,
which sizes the iframe to its content. Without the script the iframe keeps its
height and scrolls inside. No third party is involved: both come from the app."""

from __future__ import annotations

from urllib.parse import urlencode

import duckdb

from tracker import db, i18n, rules, settings
from tracker.errors import NotFound, UserError
from tracker.present.public_html import esc

DEFAULT_HEIGHT = 900
MIN_HEIGHT, MAX_HEIGHT = 300, 4000


def clean_base_url(base_url: str) -> str:
    """The app's public address without a trailing slash; UserError unless http(s)."""
    base = (base_url or "").strip().rstrip("/")
    if not rules.URL_PATTERN.match(base):
        raise UserError(base, key="embed.base_url_invalid")
    return base


def unlisted_warning(allowed_origins, lang: str) -> str | None:
    """While no site is listed in ``embed_allowed_origins`` the browser refuses the
    frame on the city's page (web/headers.py): what the builder and the CLI say then,
    naming the setting as the settings page labels it; None once a site is listed."""
    if allowed_origins:
        return None
    return i18n.t(
        "embed.no_allowed_origins",
        lang,
        setting=i18n.t("setting.embed_allowed_origins", lang),
        embed_page=i18n.t("nav.embed_builder", lang),
        settings_page=i18n.t("nav.settings", lang),
    )


def snippet(
    base_url: str, *, programme_id: int, lang: str, title: str, theme: int | None = None, height: int = DEFAULT_HEIGHT
) -> str:
    """The iframe and the script tag, ready to paste."""
    base = clean_base_url(base_url)
    query = {"embed": "true", "lang": i18n.normalise_language(lang), "programme": int(programme_id)}
    if theme is not None:
        query["theme"] = int(theme)
    height = max(MIN_HEIGHT, min(int(height), MAX_HEIGHT))
    src = f"{base}/view?{urlencode(query)}"
    return (
        f'<iframe src="{esc(src)}" title="{esc(title)}" width="100%" height="{height}"'
        f' style="border:0;width:100%;max-width:100%;height:{height}px" loading="lazy"></iframe>\n'
        f'<script src="{esc(base)}/embed.js" async></script>'
    )


def programme_snippet(
    con: duckdb.DuckDBPyConnection,
    base_url: str,
    *,
    programme_id: int | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
    theme: int | None = None,
    height: int = DEFAULT_HEIGHT,
) -> str:
    """The snippet of a programme (default: the one the public view shows), its title in ``lang``."""
    lang = i18n.normalise_language(lang)
    available = db.query(con, "programmes", lang=lang)
    if available.empty:
        raise NotFound("no programme", key="app.no_data")
    ids = available["id"].tolist()
    if programme_id is None:
        configured = settings.get(con, "public_programme_id")
        programme_id = configured if configured in ids else ids[0]
    if programme_id not in ids:
        raise NotFound(f"programme {programme_id}", key="embed.programme_not_found", id=programme_id)
    row = available.set_index("id").loc[programme_id]
    title = i18n.t("embed.frame_title", lang, programme=f"{row['organisation']} – {row['name']}")
    return snippet(base_url, programme_id=programme_id, lang=lang, title=title, theme=theme, height=height)
