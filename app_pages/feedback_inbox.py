"""Feedback inbox (editors): what residents said through the public feedback
form, new and handled; mark an item handled (its sender's name and e-mail are
deleted the retention period after), or answer by e-mail through the mail
settings when they are set (else the editor's own mail program). Never shown
publicly."""

import urllib.parse

import streamlit as st

from tracker import feedback_reply, write
from tracker.errors import ConflictError, UserError
from ui import data, session
from ui.badges import esc
from ui.formats import cell_text, fmt_date
from ui.forms import error_text
from ui.links import public_link
from ui.text import lang, md, tr, tr_md

LIMIT = 100
NOTICE = "inbox_notice"
KINDS = {"general": "inbox.kind_general", "measure": "inbox.kind_measure", "accessibility": "inbox.kind_accessibility"}

con, who = data.connection(), session.caller()
retention = data.settings()["feedback_contact_retention_days"]
# Contact details past their retention go before anything is shown.
if write.feedback.delete_expired_contacts(con, who, retention_days=retention):
    st.rerun()

st.title(tr("inbox.title"))
st.caption(tr_md("inbox.intro", days=retention))
if notice := st.session_state.pop(NOTICE, None):
    st.success(tr(notice))

counts = data.run("workspace_feedback_counts").iloc[0]
views = {
    "new": tr("inbox.new", count=int(counts["new_items"])),
    "handled": tr("inbox.handled", count=int(counts["handled_items"])),
    "all": tr("inbox.all"),
}
shown = st.segmented_control(
    tr("inbox.show"), list(views), format_func=views.get, default="new", key="inbox_view", selection_mode="single"
)
items = data.run("workspace_feedback", status=None if shown in (None, "all") else shown, lang=lang(), limit=LIMIT)
if items.empty:
    st.info(tr("inbox.empty"))
    st.stop()
can_mail = feedback_reply.mail_ready(con)
if not can_mail:
    st.caption(tr("inbox.mail_unavailable"))


def act(action, *args, notice: str, **kwargs) -> None:
    """Run a write service; a refusal is shown, a success noted for the next run."""
    try:
        action(con, who, *args, **kwargs)
    except ConflictError:
        st.warning(tr("inbox.changed_meanwhile"))
    except UserError as error:
        st.error(error_text(error))
    else:
        st.session_state[NOTICE] = notice
        st.rerun()


for item in items.itertuples():
    with st.container(border=True):
        about = tr(KINDS[item.kind])
        if cell_text(item.measure_code):
            link = public_link("/view/measure", programme=item.programme_id, code=item.measure_code)
            about += f' · <a href="{esc(link)}" target="_blank">{esc(item.measure_code)} {esc(item.measure_title)}</a>'
        state = (
            tr("inbox.state_new") if item.status == "new" else tr("inbox.state_handled", date=fmt_date(item.handled_at))
        )
        st.html(
            f"<p><strong>{esc(fmt_date(item.received_at))}</strong> · {about} · "
            f"{esc(tr('inbox.language', language=item.lang))} · {esc(state)}</p>"
        )
        st.text(item.message)
        sender = f"{cell_text(item.sender_name)} {cell_text(item.sender_email)}".strip()
        if sender:
            st.markdown(f"**{tr('inbox.sender')}:** {md(sender)}")
        elif item.contact_deleted_at is not None and str(item.contact_deleted_at) != "NaT":
            st.caption(tr("inbox.contact_deleted", date=fmt_date(item.contact_deleted_at)))
        else:
            st.caption(tr("inbox.no_contact"))
        if item.replied_at is not None and str(item.replied_at) != "NaT":
            st.caption(tr("inbox.replied", date=fmt_date(item.replied_at)))
        left, right = st.columns(2)
        # One button flips the status: a new item can be marked handled, a handled one new again.
        if item.status == "new":
            handled, notice = True, "inbox.marked_handled"
            clicked = left.button(tr("inbox.mark_handled"), key=f"inbox_handle_{item.id}", icon=":material/done:")
        else:
            handled, notice = False, "inbox.marked_new"
            clicked = left.button(tr("inbox.mark_new"), key=f"inbox_reopen_{item.id}", icon=":material/undo:")
        if clicked:
            act(
                write.feedback.set_handled,
                item.id,
                expected_version=item.version,
                handled=handled,
                retention_days=retention,
                notice=notice,
            )
        if not cell_text(item.sender_email):
            continue
        subject = tr("inbox.reply_subject_default", programme=cell_text(item.programme) or tr("app.title"))
        with right.expander(tr("inbox.reply")):
            if can_mail:
                with st.form(f"inbox_reply_{item.id}"):
                    reply_subject = st.text_input(tr("inbox.reply_subject"), value=subject, max_chars=200)
                    reply_body = st.text_area(tr("inbox.reply_body"), max_chars=feedback_reply.BODY_MAX)
                    if st.form_submit_button(tr("inbox.reply_send"), icon=":material/send:"):
                        act(
                            feedback_reply.send_reply,
                            item.id,
                            expected_version=item.version,
                            subject=reply_subject,
                            body=reply_body,
                            notice="inbox.reply_sent",
                        )
            else:
                quoted = "\n".join("> " + line for line in item.message.splitlines())
                mailto = (
                    "mailto:"
                    + urllib.parse.quote(item.sender_email)
                    + "?"
                    + urllib.parse.urlencode(
                        {"subject": subject, "body": "\n\n" + quoted}, quote_via=urllib.parse.quote
                    )
                )
                st.link_button(tr("inbox.reply_in_mail_program"), mailto, icon=":material/mail:")
                if st.button(tr("inbox.mark_replied"), key=f"inbox_replied_{item.id}"):
                    act(
                        write.feedback.record_reply,
                        item.id,
                        expected_version=item.version,
                        notice="inbox.marked_replied",
                    )
