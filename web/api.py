"""The JSON API, version 1: read-only, for city web teams and the national
open-data portal. The same rule as every public page: only published
measures and their public fields (the ``public_*`` named queries, which
tests/test_public.py holds to it), money only when the admin's public
setting allows. Open to every origin for GET (CORS); described by an
OpenAPI document at /api/v1/openapi.json.

    GET /api/v1                                  what is here
    GET /api/v1/programmes                       every programme
    GET /api/v1/programmes/{id}/themes           a programme's themes
    GET /api/v1/measures?programme=&theme=&status=&updated_since=&page=&per_page=
    GET /api/v1/measures/{id}                    one measure with its status history, money and decisions
    GET /api/v1/decisions?programme=&page=&per_page=

Every list takes ``lang`` (fi, sv, en; texts fall back to Finnish) and pages
with ``page`` (from 1) and ``per_page`` (1–200, default 50); its answer is
``{"data": [...], "page", "per_page", "total", "links": {"self", "next", "prev"}}``.
A bad parameter answers 400 naming it; an unknown id 404.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import pandas as pd
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tracker import db, i18n, settings
from tracker.status import STATUSES
from web import cache
from web.cache import VersionedCache
from web.database import connection

VERSION = "v1"
PREFIX = f"/api/{VERSION}"
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}

_answers = VersionedCache(size=1024)


class BadParameter(ValueError):
    def __init__(self, name: str, expected: str):
        super().__init__(name)
        self.name = name
        self.expected = expected


def _plain(value):
    """A cell as JSON: dates as ISO text, NaN/NaT as null, numpy scalars and arrays as Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime().isoformat()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if value is pd.NaT:
        return None
    return value


def _records(frame: pd.DataFrame, drop: tuple[str, ...] = ()) -> list[dict]:
    return [{key: _plain(value) for key, value in row.items() if key not in drop} for row in frame.to_dict("records")]


def _day_fields(record: dict, *names: str) -> dict:
    """Dates stored as timestamps, given as days (YYYY-MM-DD)."""
    for name in names:
        if record.get(name):
            record[name] = record[name][:10]
    return record


def _query(name: str, **params) -> pd.DataFrame:
    return db.query(connection(), name, **params)


def _path_id(request: Request, entity: str) -> int:
    """The ``{entity}_id`` of the path; one that is not a number is not found, like a missing one."""
    try:
        return int(request.path_params[f"{entity}_id"])
    except ValueError:
        raise LookupError(entity) from None


def _lang(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted is not None and wanted not in i18n.LANGUAGES:
        raise BadParameter("lang", "fi, sv or en")
    return wanted or i18n.DEFAULT_LANGUAGE


def _int_param(request: Request, name: str, low: int, high: int, default: int | None = None) -> int | None:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadParameter(name, f"a whole number {low}–{high}") from None
    if not low <= value <= high:
        raise BadParameter(name, f"a whole number {low}–{high}")
    return value


def _paging(request: Request) -> tuple[int, int]:
    page = _int_param(request, "page", 1, 1_000_000, 1)
    per_page = _int_param(request, "per_page", 1, PER_PAGE_MAX, PER_PAGE_DEFAULT)
    return page, per_page


def _page_answer(request: Request, data: list[dict], total: int, page: int, per_page: int) -> dict:
    def link(number: int) -> str:
        params = {**request.query_params, "page": number, "per_page": per_page}
        return f"{request.url.path}?{urlencode(params)}"

    last = max(1, math.ceil(total / per_page))
    return {
        "data": data,
        "page": page,
        "per_page": per_page,
        "total": total,
        "links": {
            "self": link(page),
            "next": link(page + 1) if page < last else None,
            "prev": link(page - 1) if page > 1 and page <= last + 1 else None,
        },
    }


def _public_settings() -> dict:
    return settings.all_settings(connection())


def _programme_ids() -> list[int]:
    return _query("programmes", lang=i18n.DEFAULT_LANGUAGE)["id"].tolist()


def _programme_param(request: Request) -> int:
    """The ``programme`` asked for (it must exist), else the one the public view shows."""
    ids = _programme_ids()
    wanted = _int_param(request, "programme", 1, 2**31 - 1)
    if wanted is None:
        configured = _public_settings()["public_programme_id"]
        if configured in ids:
            return configured
        if ids:
            return ids[0]
        raise LookupError("programme")
    if wanted not in ids:
        raise LookupError("programme")
    return wanted


# -- the answers --


def index(request: Request) -> dict:
    return {
        "version": VERSION,
        "openapi": f"{PREFIX}/openapi.json",
        "programmes": f"{PREFIX}/programmes",
        "measures": f"{PREFIX}/measures",
        "decisions": f"{PREFIX}/decisions",
        "licence": {
            "name": _public_settings()["open_data_licence"],
            "url": _public_settings()["open_data_licence_url"],
        },
    }


def programmes(request: Request) -> dict:
    lang = _lang(request)
    rows = _query("programmes", lang=lang)
    data = [
        {
            "id": int(row["id"]),
            "organisation": row["organisation"],
            "name": row["name"],
            "start_year": _plain(row["start_year"]),
            "end_year": _plain(row["end_year"]),
            "is_demo": bool(row["is_demo"]),
            "links": {
                "themes": f"{PREFIX}/programmes/{int(row['id'])}/themes?lang={lang}",
                "measures": f"{PREFIX}/measures?programme={int(row['id'])}&lang={lang}",
                "decisions": f"{PREFIX}/decisions?programme={int(row['id'])}",
            },
        }
        for _, row in rows.iterrows()
    ]
    return {"data": data, "total": len(data)}


def themes(request: Request) -> dict:
    lang = _lang(request)
    programme_id = _path_id(request, "programme")
    if programme_id not in _programme_ids():
        raise LookupError("programme")
    rows = _query("programme_themes", programme_id=programme_id, lang=lang)
    data = [{"position": int(r.position), "name": r.name} for r in rows.itertuples()]
    return {"data": data, "total": len(data)}


def measures(request: Request) -> dict:
    lang = _lang(request)
    programme_id = _programme_param(request)
    theme = _int_param(request, "theme", 0, 10_000)
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadParameter("status", ", ".join(STATUSES))
    since_text = request.query_params.get("updated_since") or None
    since = None
    if since_text is not None:
        try:
            since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
        except ValueError:
            raise BadParameter(
                "updated_since", "a date or time, ISO 8601 (2026-01-31 or 2026-01-31T12:00:00Z)"
            ) from None
        if since.tzinfo is not None:  # stored times are UTC without a zone
            since = since.astimezone(UTC).replace(tzinfo=None)
    page, per_page = _paging(request)
    show_money = _public_settings()["public_show_money"]
    # The page and, past the last page, the count ask for the same measures.
    matching = dict(
        programme_id=programme_id, theme_position=theme, status=status, updated_since=since, today=cache.today()
    )
    offset = (page - 1) * per_page
    rows = _query("public_api_measures", **matching, lang=lang, include_money=show_money, limit=per_page, offset=offset)
    total = int(rows["total"].iloc[0]) if not rows.empty else _count_measures(matching)
    drop = ("total",) if show_money else ("total", "planned_eur", "actual_eur")
    data = []
    for record in _records(rows, drop):
        record = _day_fields(record, "start_date", "end_date")
        record["status_label"] = i18n.status_label(record["status"], lang)
        record["links"] = {"self": f"{PREFIX}/measures/{record['id']}?lang={lang}"}
        data.append(record)
    answer = _page_answer(request, data, total, page, per_page)
    answer["programme"] = programme_id
    return answer


def _count_measures(matching: dict) -> int:
    """How many measures ``matching`` finds, when the page asked for lies past the end (the page itself is empty)."""
    first = _query(
        "public_api_measures", **matching, lang=i18n.DEFAULT_LANGUAGE, include_money=False, limit=1, offset=0
    )
    return 0 if first.empty else int(first["total"].iloc[0])


def measure(request: Request) -> dict:
    lang = _lang(request)
    measure_id = _path_id(request, "measure")
    show_money = _public_settings()["public_show_money"]
    found = _query(
        "public_api_measure", measure_id=measure_id, lang=lang, include_money=show_money, today=cache.today()
    )
    if found.empty:
        raise LookupError("measure")
    drop = () if show_money else ("planned_eur", "actual_eur")
    record = _day_fields(_records(found, drop)[0], "start_date", "end_date")
    record["status_label"] = i18n.status_label(record["status"], lang)
    events = _query("public_measure_events", measure_id=measure_id)
    record["status_history"] = [
        {
            "occurred_at": event["occurred_at"],
            "old_status": event["old_status"],
            "new_status": event["new_status"],
            "old_progress": event["old_progress"],
            "new_progress": event["new_progress"],
            "note": event["note"],
        }
        for event in _records(events)
    ]
    if show_money:
        lines = _query("public_measure_money", measure_id=measure_id)
        record["money"] = _records(lines, ("planned_total", "actual_total"))
    record["decisions"] = [
        _day_fields(decision, "decided_on")
        for decision in _records(_query("public_measure_decisions", measure_id=measure_id))
    ]
    return {"data": record}


def decisions(request: Request) -> dict:
    programme_id = _programme_param(request)
    page, per_page = _paging(request)
    rows = _query("public_api_decisions", programme_id=programme_id, limit=per_page, offset=(page - 1) * per_page)
    total = int(rows["total"].iloc[0]) if not rows.empty else 0
    if rows.empty and page > 1:
        first = _query("public_api_decisions", programme_id=programme_id, limit=1, offset=0)
        total = 0 if first.empty else int(first["total"].iloc[0])
    data = [_day_fields(record, "decided_on") for record in _records(rows, ("total",))]
    answer = _page_answer(request, data, total, page, per_page)
    answer["programme"] = programme_id
    return answer


# -- the routes --


def _answer(build):
    """A route answering ``build(request)`` as JSON, cached per data version and URL."""

    def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=CORS)
        key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
        try:
            version, body = _answers.get(key, lambda: build(request))
        except BadParameter as bad:
            return JSONResponse(
                {"error": "bad parameter", "parameter": bad.name, "expected": bad.expected},
                status_code=400,
                headers=CORS,
            )
        except LookupError as missing:
            return JSONResponse({"error": "not found", "what": str(missing)}, status_code=404, headers=CORS)
        etag = f'"v{version}-{abs(hash(key)) % 10**12}"'
        headers = {**CORS, "Cache-Control": "no-cache", "ETag": etag}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return JSONResponse(body, headers=headers)

    return endpoint


def openapi(request: Request) -> Response:
    from web.api_description import document  # it imports this module's constants

    return JSONResponse(document(), headers={**CORS, "Cache-Control": "public, max-age=3600"})


METHODS = ["GET", "OPTIONS"]


def routes() -> list[Route]:
    return [
        Route(PREFIX, _answer(index), methods=METHODS),
        Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
        Route(f"{PREFIX}/programmes", _answer(programmes), methods=METHODS),
        Route(f"{PREFIX}/programmes/{{programme_id}}/themes", _answer(themes), methods=METHODS),
        Route(f"{PREFIX}/measures", _answer(measures), methods=METHODS),
        Route(f"{PREFIX}/measures/{{measure_id}}", _answer(measure), methods=METHODS),
        Route(f"{PREFIX}/decisions", _answer(decisions), methods=METHODS),
    ]
