"""The opt-out link of the reminder digests (issue 14): ``/reminders/opt-out?token=...``
shows the contact person a button (a link a mail scanner follows must not opt anyone
out by itself); pressing it (POST) stops their reminders, audited. In the person's
digest language; the token is the only key."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tracker import db, i18n
from tracker.write import reminders
from web.database import connection

PATH = "/reminders/opt-out"
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5;color:#1a1a1a}"
    "button{font-size:1rem;padding:.5em 1.2em;border-radius:.4em;border:1px solid #005a8c;background:#005a8c;"
    "color:#fff}"
    "button:focus-visible{outline:3px solid #0072B2;outline-offset:2px}"
)


def _page(lang: str, body: str, status: int = 200) -> HTMLResponse:
    title = html.escape(i18n.t("remind.optout_title", lang))
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f"<title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1>{body}</body></html>",
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def opt_out(request: Request) -> HTMLResponse:
    token = request.query_params.get("token", "")[:200]
    found = db.query(connection(), "reminder_contact_by_token", token=token) if token else None
    row = None if found is None or found.empty else tuple(found.iloc[0])
    if row is None:
        lang = i18n.normalise_language(request.query_params.get("lang"))
        return _page(lang, f"<p>{html.escape(i18n.t('remind.optout_unknown', lang))}</p>", 404)
    email, lang, opted_out = row
    if request.method == "POST":
        reminders.opt_out_by_token(connection(), token)
        opted_out = True
    if opted_out:
        return _page(lang, f"<p>{html.escape(i18n.t('remind.optout_done', lang, email=email))}</p>")
    question = html.escape(i18n.t("remind.optout_question", lang, email=email))
    button = html.escape(i18n.t("remind.optout_button", lang))
    action = html.escape(f"{PATH}?token={token}")
    return _page(lang, f'<p>{question}</p><form method="post" action="{action}"><button>{button}</button></form>')


ROUTES = [Route(PATH, opt_out, methods=["GET", "POST"])]
