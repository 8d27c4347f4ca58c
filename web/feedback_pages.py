"""/view/feedback: the residents' feedback form (GET) and its submission (POST),
checked for origin, size and the honeypot before web/write stores it."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tracker import i18n, write
from tracker.errors import ValidationError
from tracker.present import public_html as h
from tracker.write.feedback import MESSAGE_MAX, Feedback, TooManyFeedback
from web.database import connection
from web.public_html import (
    FEEDBACK,
    MEASURE,
    STATEMENT,
    VIEW,
    Reader,
    chosen_programme,
    document,
    footer,
    parse_int,
    public_settings,
    published_measure,
    reader_of,
)

# The largest feedback form body taken (the message is at most 4 000 characters,
# up to 4 bytes each once encoded, plus the other fields).
FEEDBACK_BODY_MAX = 24_000
HONEYPOT = "website"


# -- feedback --


def _feedback_subject(reader: Reader, programme_id: int | None) -> tuple[str, pd.Series | None]:
    """The form's heading, and the measure it is about (kind "measure" with a published code)."""
    if reader.kind == "measure" and reader.code and programme_id is not None:
        measure = published_measure(reader, programme_id)
        if measure is not None:
            return reader.t("feedback.title_measure", measure=f"{measure['code']} {measure['title']}"), measure
    if reader.kind == "accessibility":
        return reader.t("feedback.title_accessibility"), None
    return reader.t("feedback.title"), None


def _back_link(reader: Reader, measure: pd.Series | None) -> str:
    """Back to where the form was opened from: the statement, the measure, or the view."""
    back_url = reader.url(MEASURE, code=reader.code) if measure is not None else reader.url(VIEW)
    if reader.kind == "accessibility":
        back_url = reader.url(STATEMENT)
    return f'<p><a href="{h.esc(back_url)}">{h.esc(reader.t("feedback.back"))}</a></p>'


def _hidden_fields(reader: Reader, programme_id: int | None) -> str:
    hidden = {"lang": reader.lang, "programme": programme_id, "kind": reader.kind, "code": reader.code}
    if reader.embed:
        hidden["embed"] = "true"
    return "".join(
        f'<input type="hidden" name="{k}" value="{h.esc(v)}">' for k, v in hidden.items() if v not in (None, "")
    )


def _problem_summary(reader: Reader, problems: dict) -> str:
    """A refused submission's problems on top, each linking to its field."""
    if not problems:
        return ""
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
    return f'<div class="errors" role="alert"><h2>{h.esc(reader.t("feedback.problems"))}</h2><ul>{items}</ul></div>'


def _form(reader: Reader, hidden_html: str, values: dict, problems: dict, days: int) -> str:
    """The form itself, each field with its hint and its problem (if any) described by them."""

    def error(name: str) -> str:
        if name not in problems:
            return ""
        key, params = problems[name]
        return f'<p class="field-error" id="{name}-error">{h.esc(reader.t(key, **params))}</p>'

    def described(name: str, *hints: str) -> str:
        ids = [*hints, *([f"{name}-error"] if name in problems else [])]
        invalid = ' aria-invalid="true"' if name in problems else ""
        return (f' aria-describedby="{" ".join(ids)}"' if ids else "") + invalid

    consent_checked = " checked" if values.get("consent") else ""
    # Inside the city's page the answer to the post (a refusal, too many, too large) must
    # be framable too, and the framing rule (web/headers.py) reads only the URL's embed.
    # The language rides in the URL as well: a post that fails before its body is read
    # (the database unavailable: web/errors.py) is still answered in it.
    action = f"{FEEDBACK}?{urlencode({'lang': reader.lang, **({'embed': 'true'} if reader.embed else {})})}"
    return (
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


def feedback_page(reader: Reader, *, values: dict | None = None, problems: dict | None = None) -> tuple[int, str]:
    """The form (with the problems of a refused submission beside their fields), or the thanks."""
    stored = public_settings()
    programme = chosen_programme(reader, stored["public_programme_id"])
    programme_id = None if programme is None else int(programme.name)
    reader = replace(reader, programme_id=programme_id)
    heading, measure = _feedback_subject(reader, programme_id)
    url_for = lambda code: reader.url(FEEDBACK, lang=code, kind=reader.kind, code=reader.code)  # noqa: E731
    back = _back_link(reader, measure)
    if reader.sent:
        main = (
            f"{back}<h1>{h.esc(reader.t('feedback.sent_title'))}</h1>"
            f'<p role="status">{h.esc(reader.t("feedback.sent"))}</p>'
        )
        return 200, document(
            reader, reader.t("feedback.sent_title"), main, url_for=url_for, footer=footer(reader, programme)
        )
    problems = problems or {}
    days = stored["feedback_contact_retention_days"]
    form = _form(reader, _hidden_fields(reader, programme_id), values or {}, problems, days)
    main = (
        f"{back}<h1>{h.esc(heading)}</h1>{_problem_summary(reader, problems)}"
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
    declared = parse_int(request.headers.get("content-length"))
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
    stored = public_settings()
    programme = chosen_programme(reader, stored["public_programme_id"])
    programme_id = None if programme is None else int(programme.name)
    measure_id = None
    if reader.kind == "measure" and reader.code and programme_id is not None:
        measure = published_measure(reader, programme_id)
        measure_id = None if measure is None else int(measure["id"])
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
        programme_id=parse_int(form.get("programme")),
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
