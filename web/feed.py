"""/feed: an Atom feed (RFC 4287) of a programme's published status changes and
public notes, per programme and language (``?programme=ID&lang=fi``), linked
from the public view. The same events as the public timeline: published
measures only, never who made a change, never an internal note. Built once
per data version (web/cache.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pandas as pd
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracker import db, i18n, settings
from tracker.present import public_html
from web.cache import VersionedCache
from web.database import connection
from web.public_html import parse_int

ENTRIES = 50
_feeds = VersionedCache(size=64)


def _utc(value) -> str:
    """A stored timestamp (UTC, naive) as RFC 3339."""
    stamp = pd.Timestamp(value).to_pydatetime().replace(tzinfo=UTC)
    return stamp.isoformat().replace("+00:00", "Z")


def _programme(programme_id: int | None, lang: str) -> pd.Series | None:
    con = connection()
    available = db.query(con, "programmes", lang=lang)
    if available.empty:
        return None
    ids = available["id"].tolist()
    if programme_id not in ids:
        configured = settings.get(con, "public_programme_id")
        programme_id = configured if configured in ids else ids[0]
    return available.set_index("id").loc[programme_id].rename(programme_id)


def build(base: str, programme_id: int | None, lang: str) -> bytes | None:
    """The feed document, or None when there is no programme."""
    programme = _programme(programme_id, lang)
    if programme is None:
        return None
    programme_id = int(programme.name)
    events = db.query(connection(), "public_feed_events", programme_id=programme_id, lang=lang, limit=ENTRIES)
    host = urlsplit(base).hostname or "localhost"
    query = urlencode({"programme": programme_id, "lang": lang})
    self_url = f"{base}/feed?{query}"
    view_url = f"{base}/view?{query}"
    title = i18n.t("feed.title", lang, programme=programme["name"])
    updated = _utc(events["occurred_at"].iloc[0]) if not events.empty else _utc(datetime(2000, 1, 1))
    entries = []
    for event in events.itertuples():
        change = public_html.event_text(event, lang)
        link = f"{base}/view/measure?{urlencode({'programme': programme_id, 'code': event.code, 'lang': lang})}"
        content = change if public_html.missing(event.note) or not event.note else f"{change}\n\n{event.note}"
        entries.append(
            "<entry>"
            f"<id>tag:{escape(host)},2024:tracker:status-event:{int(event.id)}</id>"
            f"<title>{escape(f'{event.code} {event.title}: {change}')}</title>"
            f"<updated>{_utc(event.occurred_at)}</updated>"
            f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>'
            f'<content type="text">{escape(content)}</content>'
            "</entry>"
        )
    document = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
        f"<id>tag:{escape(host)},2024:tracker:programme:{programme_id}:{lang}</id>"
        f"<title>{escape(title)}</title>"
        f"<subtitle>{escape(i18n.t('feed.subtitle', lang, organisation=programme['organisation']))}</subtitle>"
        f"<updated>{updated}</updated>"
        f"<author><name>{escape(str(programme['organisation']))}</name></author>"
        f'<link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>'
        f'<link rel="alternate" type="text/html" href={quoteattr(view_url)}/>'
        f"{''.join(entries)}</feed>"
    )
    return document.encode("utf-8")


def feed(request: Request) -> Response:
    lang = i18n.normalise_language(request.query_params.get("lang"))
    programme_id = parse_int(request.query_params.get("programme"))
    base = str(request.base_url).rstrip("/")
    _version, body = _feeds.get((base, programme_id, lang), lambda: build(base, programme_id, lang))
    if body is None:
        return Response("no programme", status_code=404, media_type="text/plain")
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"},
    )


def routes() -> list[Route]:
    return [Route("/feed", feed, methods=["GET"])]
