"""What every page shares: the one connection, cached named queries, the
reader's language and role, the programme in the URL, status badges."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from tracker import accounts, db, i18n, settings
from tracker.auth import ANONYMOUS, Caller
from tracker.errors import ConflictError, UserError
from tracker.status import COLOURS, ICONS, TEXT_ON

LANG_KEY = "app_lang"
CALLER_KEY = "app_caller"
LAST_SEEN_KEY = "app_last_seen"
NOTICE_KEY = "app_notice"


@st.cache_resource
def connection():
    """One DuckDB connection per process; every call takes its own cursor."""
    return db.connect()


def data_version() -> int:
    return db.data_version(connection())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(name: str, version: int, params: tuple) -> pd.DataFrame:
    return db.query(connection(), name, **dict(params))


def run(name: str, **params) -> pd.DataFrame:
    """A named query, cached until the next write bumps the data version."""
    return _cached_query(name, data_version(), tuple(sorted(params.items())))


def lang() -> str:
    return st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def caller() -> Caller:
    """Who is using this session (ANONYMOUS until someone signs in)."""
    return st.session_state.get(CALLER_KEY, ANONYMOUS)


def oidc_configured() -> bool:
    """Sign-in goes through st.login when secrets.toml has an [auth] section."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def refresh_session() -> Caller:
    """Once per run, before navigation: who the caller is now.

    With OIDC the identity comes from st.user, matched by e-mail to a user;
    with local accounts from the sign-in stored in the session. Either way the
    role is re-read from the database (a disabled account or a changed role
    takes effect at once) and an idle session ends after the configured time.
    """
    now = db.utcnow()
    if oidc_configured():
        who = accounts.current_caller(connection(), st.user.get("email")) if st.user.is_logged_in else ANONYMOUS
    else:
        who = caller()
        if who.user_id is not None:
            who = accounts.current_caller(connection(), who.email)
            if not who.signed_in:  # disabled meanwhile
                sign_out()
                who = ANONYMOUS
    if who.email:
        idle_minutes = settings.get(connection(), "session_idle_minutes")
        if accounts.session_expired(st.session_state.get(LAST_SEEN_KEY), now, idle_minutes):
            sign_out()
            st.session_state[NOTICE_KEY] = ("auth.session_expired", {"minutes": idle_minutes})
            return ANONYMOUS
        st.session_state[LAST_SEEN_KEY] = now
    st.session_state[CALLER_KEY] = who
    return who


def sign_in(email: str, password: str) -> None:
    """Check a local account's password; AuthError tells the user why not."""
    who = accounts.authenticate(connection(), email, password)
    st.session_state[CALLER_KEY] = who
    st.session_state[LAST_SEEN_KEY] = db.utcnow()


def sign_out() -> None:
    st.session_state.pop(CALLER_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def role_label(role: str) -> str:
    return tr(f"role.{role}")


def error_text(error: UserError) -> str:
    return tr(error.key, **error.params)


def problem_text(problem: tuple[str, dict]) -> str:
    key, params = problem
    return tr(key, **params)


def field_problem(problems: dict, field: str) -> None:
    """The message for ``field`` right beside it, if the last save found one."""
    if field in problems:
        st.error(problem_text(problems[field]), icon=":material/error:")


def show_problems(problems: dict, labels: dict[str, str]) -> None:
    """A summary naming every field that needs fixing."""
    lines = [f"- **{esc(labels.get(field, field))}**: {esc(problem_text(p))}" for field, p in problems.items()]
    st.error(tr("error.validation") + "\n\n" + "\n".join(lines))


def show_conflict(error: ConflictError, loaded: dict, labels: dict[str, str], formats: dict | None = None) -> None:
    """The refusal and what the other person changed (loaded -> now)."""
    from tracker.workspace import conflict_differences

    formats = formats or {}
    lines = []
    for field, mine, theirs in conflict_differences(loaded, error.current):
        show = formats.get(field, display_value)
        lines.append(f"- **{esc(labels.get(field, field))}**: {esc(show(mine))} → {esc(show(theirs))}")
    st.error(error_text(error))
    if lines:
        st.markdown(tr("error.conflict_changes") + "\n" + "\n".join(lines))


def display_value(value) -> str:
    """A stored value as plain text for change lists."""
    if value is None or (not isinstance(value, (str, bool)) and missing(value)):
        return tr("form.empty_value")
    if isinstance(value, bool):
        return tr("form.yes") if value else tr("form.no")
    if hasattr(value, "year") and hasattr(value, "month") and not isinstance(value, str):
        return fmt_date(value)
    return str(value)


def show_notice() -> None:
    """A message left for the next run (e.g. the session ended)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(tr(notice[0], **notice[1]))


def sees_internal() -> bool:
    """Signed-in users (viewer and up) see unpublished measures and internal notes."""
    return caller().can("viewer")


def esc(text) -> str:
    """User-typed text as inert HTML."""
    return html.escape("" if text is None else str(text), quote=True)


def status_badge(code: str) -> str:
    """The status as a coloured badge carrying its icon and word (never colour alone)."""
    label = i18n.status_label(code, lang())
    return (
        f'<span class="status-badge" style="background:{COLOURS[code]};color:{TEXT_ON[code]};'
        f'padding:0.1em 0.5em;border-radius:0.6em;white-space:nowrap;font-size:0.9em">'
        f'<span aria-hidden="true">{ICONS[code]}</span> {esc(label)}</span>'
    )


def status_text(code: str) -> str:
    """Icon and word, for tables and charts."""
    return f"{ICONS[code]} {i18n.status_label(code, lang())}"


def page_link(path: str, **params) -> str:
    """A relative URL to a page that keeps the language and programme."""
    query = {"lang": lang(), **{k: v for k, v in params.items() if v is not None}}
    from urllib.parse import urlencode

    return f"{path}?{urlencode(query)}"


def programmes() -> pd.DataFrame:
    return run("programmes", lang=lang())


def selected_programme() -> pd.Series | None:
    """The programme named by ``?programme=ID`` (else the default), with a selector
    when there are several; None when the database holds none."""
    available = programmes()
    if available.empty:
        return None
    ids = available["id"].tolist()
    wanted = st.query_params.get("programme")
    try:
        current = int(wanted) if wanted is not None else ids[0]
    except ValueError:
        current = ids[0]
    if current not in ids:
        current = ids[0]
    if len(ids) > 1:
        labels = dict(zip(available["id"], available["organisation"] + " – " + available["name"], strict=True))
        current = st.selectbox(
            tr("app.programme"), ids, index=ids.index(current), format_func=labels.get, key="common_programme"
        )
    st.query_params["programme"] = str(current)
    return available.set_index("id").loc[current].rename(current)


def missing(value) -> bool:
    """None, NaN, NaT or pandas NA: a cell with no value."""
    return value is None or bool(pd.isna(value))


def fmt_eur(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_eur(value, lang())


def fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_date(value, lang())


def fmt_pct(share) -> str:
    return i18n.format_percent(share, lang())
