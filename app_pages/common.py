"""What every page shares: the one connection, cached named queries, the
reader's language and role, the programme in the URL, status badges."""

from __future__ import annotations

import html
import threading

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from tracker import db, i18n, settings, write
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


# What one script run reads again and again, read once at its start: a run
# happens in one thread, so a thread-local holds it for the run's duration.
_this_run = threading.local()


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def _run_value(name: str):
    """A value begin_run stored, if this thread's current run is this session's."""
    if getattr(_this_run, "session", None) != _session_id():
        return None
    return getattr(_this_run, name, None)


def begin_run() -> None:
    """Called by dashboard.py at the start of every run, after the language is settled."""
    _this_run.session = _session_id()
    _this_run.lang = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    _this_run.version = None


def language_chosen() -> None:
    """The sidebar's language was changed: the URL follows, so the next run keeps it."""
    st.query_params["lang"] = st.session_state[LANG_KEY]


def data_version() -> tuple[int, int]:
    """The database's data version, read once per run, and this process's write
    count, which every committed write bumps: a page that writes and then reads
    in the same run sees its own write."""
    version = _run_value("version")
    if version is None:
        version = db.data_version(connection())
        if _run_value("lang") is not None:  # inside a run begun by dashboard.py
            _this_run.version = version
    return version, db.write_count()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(name: str, version: tuple[int, int], params: tuple) -> pd.DataFrame:
    return db.query(connection(), name, **dict(params))


def run(name: str, **params) -> pd.DataFrame:
    """A named query, cached until the next write bumps the data version."""
    return _cached_query(name, data_version(), tuple(sorted(params.items())))


def lang() -> str:
    return _run_value("lang") or st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


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
        who = write.accounts.current_caller(connection(), st.user.get("email")) if st.user.is_logged_in else ANONYMOUS
    else:
        who = caller()
        if who.user_id is not None:
            who = write.accounts.current_caller(connection(), who.email)
            if not who.signed_in:  # disabled meanwhile
                sign_out()
                who = ANONYMOUS
    if who.email:
        idle_minutes = settings.get(connection(), "session_idle_minutes")
        if write.accounts.session_expired(st.session_state.get(LAST_SEEN_KEY), now, idle_minutes):
            sign_out()
            st.session_state[NOTICE_KEY] = ("auth.session_expired", {"minutes": idle_minutes})
            return ANONYMOUS
        st.session_state[LAST_SEEN_KEY] = now
    st.session_state[CALLER_KEY] = who
    return who


def sign_in(email: str, password: str) -> None:
    """Check a local account's password; AuthError tells the user why not."""
    who = write.accounts.authenticate(connection(), email, password)
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
    from tracker.write.base import conflict_differences

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


# Up to this many programmes plain selectboxes list them all; beyond it (a
# regional or national host) the reader searches and picks among the matches,
# so the browser never receives thousands of options.
PROGRAMME_LIST_LIMIT = 20
PROGRAMME_MATCHES = 20


def _programme_label(row) -> str:
    return f"{row.organisation} – {row.name}"


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def selected_programme() -> pd.Series | None:
    """The programme named by ``?programme=ID`` (else the default), with a selector
    when there are several; None when the database holds none.

    Up to PROGRAMME_LIST_LIMIT programmes: an organisation selector (``?org=ID``)
    when they belong to several organisations, and a programme selector. Beyond
    that: a search box whose matches (at most PROGRAMME_MATCHES, found by DuckDB)
    fill a small selectbox."""
    wanted_id = _as_int(st.query_params.get("programme"))
    lookup = run("programme_lookup", programme_id=wanted_id, lang=lang())
    count = int(lookup.at[0, "programmes"])
    if count == 0:
        return None
    if count <= PROGRAMME_LIST_LIMIT:
        return _select_from_list(wanted_id)
    current = wanted_id if not missing(lookup.at[0, "id"]) else int(lookup.at[0, "first_id"])
    picked = _search_programme(current)
    if picked is not None:
        current = picked
    st.query_params["programme"] = str(current)
    row = run("programme_lookup", programme_id=current, lang=lang()).iloc[0]
    fields = ["organisation_id", "organisation", "name", "start_year", "end_year", "is_demo", "is_default"]
    return row[fields].rename(current)


def _select_from_list(wanted_id: int | None) -> pd.Series:
    available = programmes()
    ids = available["id"].tolist()
    current = wanted_id if wanted_id in ids else ids[0]
    organisation_ids = list(dict.fromkeys(available["organisation_id"]))
    if len(organisation_ids) > 1:
        names = dict(zip(available["organisation_id"], available["organisation"], strict=False))
        wanted_org = _as_int(st.query_params.get("org"))
        if wanted_org not in organisation_ids:
            wanted_org = int(available.set_index("id").at[current, "organisation_id"])
        org = st.selectbox(
            tr("app.organisation"),
            organisation_ids,
            index=organisation_ids.index(wanted_org),
            format_func=names.get,
            key="common_organisation",
            placeholder=tr("app.choose"),
        )
        st.query_params["org"] = str(org)
        available = available[available["organisation_id"] == org]
        ids = available["id"].tolist()
        if current not in ids:
            current = ids[0]
        programme_key = f"common_programme_{org}"
    else:
        programme_key = "common_programme"
    if len(ids) > 1:
        labels = {row.id: _programme_label(row) for row in available.itertuples()}
        current = st.selectbox(
            tr("app.programme"),
            ids,
            index=ids.index(current),
            format_func=labels.get,
            key=programme_key,
            placeholder=tr("app.choose"),
        )
    st.query_params["programme"] = str(current)
    return available.set_index("id").loc[current].rename(current)


def _search_programme(current: int) -> int | None:
    """A search box and the matching programmes; the one picked, or None to keep ``current``."""
    shown = run("programme_lookup", programme_id=current, lang=lang()).iloc[0]
    search = st.text_input(
        tr("app.programme_search"),
        key="common_programme_search",
        placeholder=tr("app.programme_search_placeholder"),
        help=tr("app.programme_search_help", current=_programme_label(shown)),
    )
    if not search.strip():
        return None
    matches = run("organisation_search", search=search.strip(), lang=lang(), limit=PROGRAMME_MATCHES)
    if matches.empty:
        st.caption(tr("app.programme_search_none"))
        return None
    labels = {row.id: _programme_label(row) for row in matches.itertuples()}
    ids = list(labels)
    return st.selectbox(
        tr("app.programme"),
        ids,
        index=ids.index(current) if current in ids else None,
        format_func=labels.get,
        placeholder=tr("app.programme_choose", matches=len(ids)),
        key="common_programme_match",
    )


def missing(value) -> bool:
    """None, NaN, NaT or pandas NA: a cell with no value."""
    return value is None or bool(pd.isna(value))


def fmt_eur(value, *, whole: bool = False) -> str:
    """Euros in the reader's format; ``whole`` rounds to whole euros (for totals)."""
    if value is None or pd.isna(value):
        return ""
    return i18n.format_eur(value, lang(), cents=False if whole else None)


def fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.format_date(value, lang())


def fmt_pct(share) -> str:
    return i18n.format_percent(share, lang())


def demo_notice(programme_id: int, link, *, include_unpublished: bool, show_money: bool = True) -> None:
    """In a demo programme: which measure is real, with its status, money and
    decision, linked by ``link(code)``; the rest is said to be illustrative."""
    real = run("demo_real_measures", programme_id=programme_id, lang=lang(), include_unpublished=include_unpublished)
    for row in real.itertuples():
        details = []
        if show_money and not missing(row.first_year):
            per_year = not missing(row.planned_per_year)
            details.append(
                tr(
                    "app.demo_money_per_year" if per_year else "app.demo_money_total",
                    amount=fmt_eur(row.planned_per_year if per_year else row.planned_eur),
                    first=row.first_year,
                    last=row.last_year,
                )
            )
        if not missing(row.decision_body):
            outcome = tr(f"outcome.{row.decision_outcome}")
            if not missing(row.decision_unanimous) and row.decision_unanimous:
                outcome += " " + tr("measure.unanimous")
            details.append(tr("app.demo_decision", body=row.decision_body, outcome=outcome.lower()))
        st.info(
            tr(
                "app.demo_notice",
                code=row.code,
                title=row.title.replace("[", "(").replace("]", ")"),
                link=link(row.code),
                status=status_text(row.status),
                details="".join(f" · {detail}" for detail in details),
            )
        )


# -- leadership dashboard helpers --


def today():
    """The day lateness, staleness and "this year" are measured on."""
    from datetime import date

    return date.today()


@st.cache_resource(max_entries=256, show_spinner=False)
def figure(builder: str, frame: pd.DataFrame, *args, **kwargs):
    """``tracker.present.charts.<builder>(frame, ...)``, built once per distinct data.

    Building a Plotly figure (its property validation) costs more than the
    queries behind it; the figure depends only on the frame's content and the
    arguments, so it is shared until the data changes. Figures are never
    mutated after they are built.
    """
    from tracker.present import charts

    return getattr(charts, builder)(frame, *args, **kwargs)


def chart(figure, summary: str, table: pd.DataFrame, *, key: str) -> None:
    """A chart as leaders and screen readers need it: its one-sentence summary in words,
    the figure (no links to third parties), and its data as a table in an expander."""
    from tracker.present.charts import PLOTLY_CONFIG

    st.markdown(summary)
    st.plotly_chart(figure, width="stretch", config=PLOTLY_CONFIG, alt=summary, key=key)
    with st.expander(tr("chart.data_table")):
        st.dataframe(table, hide_index=True, width="stretch")


def measure_list(rows: pd.DataFrame, programme_id: int, detail=None) -> None:
    """Measures as a list of links to their pages, each with its status badge and an
    optional detail text (``detail(row) -> str``)."""
    items = []
    for row in rows.itertuples():
        link = esc(page_link("measure", programme=programme_id, code=row.code))
        extra = f' <span style="opacity:0.75">· {esc(detail(row))}</span>' if detail else ""
        items.append(
            f'<li style="margin-bottom:0.3em">{status_badge(row.status)} '
            f'<a href="{link}" target="_self">{esc(row.code)} {esc(row.title)}</a>{extra}</li>'
        )
    st.markdown(
        '<ul style="list-style:none;padding-left:0;margin:0">' + "".join(items) + "</ul>", unsafe_allow_html=True
    )


# -- public view --

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

PUBLIC_STYLE = """<style>
.public-languages ul, .public-measures, .public-timeline {list-style: none; padding-left: 0; margin: 0}
.public-languages li {display: inline-block; margin-right: 1em}
.public-measures li {margin: 0 0 0.45em 0; overflow-wrap: anywhere}
.public-timeline li {margin: 0 0 0.8em 0; overflow-wrap: anywhere}
.public-table {overflow-x: auto; max-width: 100%; margin-bottom: 1em}
.public-table table {border-collapse: collapse; font-size: 0.9rem}
.public-table caption {text-align: left; font-weight: 600; padding-bottom: 0.3em}
.public-table th, .public-table td {border-bottom: 1px solid #8a8a8a; padding: 0.25em 0.5em; text-align: left}
.public-table td.number, .public-table th.number {text-align: right; white-space: nowrap}
.stApp a:focus-visible, .public-table:focus-visible {outline: 3px solid #0072B2; outline-offset: 2px}
.stApp a {color: #005a8c}
/* Streamlit's st.caption is drawn below AA contrast on white (axe: color-contrast) */
.public-facts {margin: 0 0 1em 0}
.public-facts dt {font-weight: 600}
.public-facts dd {margin: 0 0 0.4em 0}
.public-note {color: #505050; font-size: 0.875rem; margin: 0 0 0.5em 0}
</style>"""


def public_note(text: str) -> None:
    """A small note in AA contrast (instead of st.caption)."""
    st.html(f'<p class="public-note">{esc(text)}</p>')


def public_style() -> None:
    """Focus outlines, AA-contrast captions and links, narrow-width lists and tables."""
    st.html(PUBLIC_STYLE)


def set_document_language() -> None:
    """Streamlit's page says <html lang="en">; screen readers need the reader's language."""
    import json

    st.html(
        f"<script>document.documentElement.lang = {json.dumps(lang())};</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def embedded() -> bool:
    """Whether the page was opened with ``?embed=true`` (links must keep it)."""
    return bool(st.context.is_embedded)


def public_link(path: str, *, language: str | None = None, **params) -> str:
    """A relative URL to a public page in the reader's language (or ``language``),
    keeping embed mode when embedded."""
    from urllib.parse import urlencode

    query = {"lang": language or lang(), **{k: v for k, v in params.items() if v not in (None, "")}}
    if embedded():
        query["embed"] = "true"
    return f"{path}?{urlencode(query)}"


def language_links(path: str, **params) -> None:
    """The language choice inside the page (embedded, there is no sidebar): one link per language."""
    items = []
    for code, name in LANGUAGE_NAMES.items():
        if code == lang():
            items.append(f'<li><span lang="{code}" aria-current="true"><strong>{esc(name)}</strong></span></li>')
        else:
            url = public_link(path, language=code, **params)
            items.append(
                f'<li><a href="{esc(url)}" target="_self" lang="{code}" hreflang="{code}">{esc(name)}</a></li>'
            )
    st.html(
        f'<nav aria-label="{esc(tr("public.language_nav"))}" class="public-languages"><ul>{"".join(items)}</ul></nav>'
    )
