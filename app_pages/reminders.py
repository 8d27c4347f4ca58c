"""Reminders: who gets the daily digest of their stale and not-yet-ready
measures, in which language, who opted out, what was last sent or failed, and
what the next run would send (the run itself is `python -m tracker remind`,
started by a system timer)."""

import pandas as pd
import streamlit as st

from tracker import reminders, write
from tracker.errors import UserError
from ui import data, session
from ui.formats import cell_text, fmt_date, missing
from ui.text import LANGUAGE_NAMES, md, tr, tr_md

PREFIX = "reminders_"
st.title(tr("nav.reminders"))
st.markdown(tr("reminders.intro"))
who = session.caller()
settings = data.settings()
if not settings["smtp_host"] or not settings["smtp_from"] or not settings["app_base_url"]:
    st.warning(tr("reminders.not_configured"))
else:
    st.caption(tr_md("reminders.configured", host=settings["smtp_host"], sender=settings["smtp_from"]))

notice = st.session_state.pop(PREFIX + "notice", None)
if notice:
    st.success(tr_md(notice[0], **notice[1]))

contacts = data.run("reminder_contacts")
if contacts.empty:
    st.info(tr("reminders.no_contacts"))
    st.stop()


def last_attempt(row) -> str:
    if missing(row.last_attempt):
        return ""
    when = fmt_date(row.last_attempt)
    if row.last_outcome == "failed":
        return tr("reminders.failed_on", date=when, error=cell_text(row.last_error))
    return tr("reminders.sent_on", date=when)


st.dataframe(
    pd.DataFrame(
        {
            tr("reminders.contact"): [f"{row.name or ''} <{row.email}>".strip() for row in contacts.itertuples()],
            tr("reminders.open_measures"): contacts["open_measures"].astype(int),
            tr("reminders.language"): [LANGUAGE_NAMES[lang] for lang in contacts["language"]],
            tr("reminders.gets_reminders"): [tr("form.no") if o else tr("form.yes") for o in contacts["opted_out"]],
            tr("reminders.last"): [last_attempt(row) for row in contacts.itertuples()],
        }
    ),
    hide_index=True,
    width="stretch",
    key=PREFIX + "contacts",
)

st.subheader(tr("reminders.edit"))
emails = contacts["email"].tolist()
chosen = st.selectbox(tr("reminders.contact"), emails, key=PREFIX + "email", placeholder=tr("app.choose"))
current = contacts.set_index("email").loc[chosen]
with st.form(PREFIX + "form"):
    languages = list(LANGUAGE_NAMES)
    language = st.selectbox(
        tr("reminders.language"), languages, index=languages.index(current["language"]), format_func=LANGUAGE_NAMES.get
    )
    wants = st.checkbox(tr("reminders.gets_reminders"), value=not bool(current["opted_out"]))
    if st.form_submit_button(tr("form.save"), type="primary", icon=":material/save:"):
        try:
            write.reminders.update_contact(data.connection(), who, chosen, language=language, opted_out=not wants)
        except UserError as refused:
            st.error(tr_md(refused.key, **refused.params))
        else:
            st.session_state[PREFIX + "notice"] = ("reminders.saved", {"email": chosen})
            st.rerun()

st.subheader(tr("reminders.preview"))
st.caption(tr("reminders.preview_help"))
today = data.today()
for digest, subject, body in reminders.preview(data.connection(), today):
    state = ""
    if digest.opted_out:
        state = f" · {tr('reminders.state_opted_out')}"
    elif digest.sent_today:
        state = f" · {tr('reminders.state_sent_today')}"
    with st.expander(md(f"{digest.email} · {tr('reminders.measures', count=len(digest.items))}{state}")):
        st.text(f"{tr('reminders.subject')}: {subject}\n\n{body}")
st.caption(tr("reminders.how", command="python -m tracker remind"))
