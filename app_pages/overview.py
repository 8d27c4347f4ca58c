"""Overview: the programme's headline, its measures by status, and every measure
by theme with its status, at a glance."""

import streamlit as st

from app_pages import common
from app_pages.common import esc, status_badge, tr
from tracker import i18n

programme = common.selected_programme()
if programme is None:
    st.title(tr("app.title"))
    st.info(tr("app.no_data"))
    st.stop()

lang = common.lang()
internal = common.sees_internal()
st.title(programme["name"])
caption = programme["organisation"]
if programme["start_year"] is not None:
    caption += " · " + tr("overview.period", start=programme["start_year"], end=programme["end_year"])
st.caption(caption)

if programme["is_demo"]:
    real = common.run("demo_real_measures", programme_id=int(programme.name), lang=lang)
    for row in real.itertuples():
        st.info(tr("app.demo_notice", code=row.code, title=row.title, status=i18n.status_label(row.status, lang)))

counts = common.run("programme_status_counts", programme_id=int(programme.name), include_unpublished=internal)
by_status = dict(zip(counts["status"], counts["measures"], strict=True))
total = int(counts["measures"].sum())
if total == 0:
    st.info(tr("overview.no_measures"))
    st.stop()

done = by_status["done"]
st.subheader(tr("overview.headline", done=done, total=total))
st.progress(done / total, text=tr("overview.headline_share", share=common.fmt_pct(done / total)))
chips = " ".join(
    f"{status_badge(status)}&nbsp;<strong>{count}</strong>" for status, count in by_status.items() if count
)
st.markdown(f'<p aria-label="{esc(tr("overview.by_status"))}">{chips}</p>', unsafe_allow_html=True)

st.subheader(tr("overview.by_theme"))
measures = common.run("programme_measures", programme_id=int(programme.name), lang=lang, include_unpublished=internal)
themes = common.run("programme_themes", programme_id=int(programme.name), lang=lang)
columns = st.columns(3)
for index, theme in enumerate(themes.itertuples()):
    in_theme = measures[measures["theme_position"] == theme.position]
    with columns[index % 3].container(border=True):
        st.markdown(f"**{esc(theme.name)}**")
        if in_theme.empty:
            st.caption(tr("overview.theme_empty"))
            continue
        lines = [
            f'<li style="margin-bottom:0.25em">{status_badge(m.status)} '
            f'<a href="{esc(common.page_link("measure", programme=int(programme.name), code=m.code))}" '
            f'target="_self">{esc(m.code)} {esc(m.title)}</a></li>'
            for m in in_theme.itertuples()
        ]
        st.markdown(
            '<ul style="list-style:none;padding-left:0;margin:0">' + "".join(lines) + "</ul>",
            unsafe_allow_html=True,
        )
