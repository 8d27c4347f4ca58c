"""The app's own sidebar menu, and what every run tells the browser.

Streamlit's sectioned sidebar navigation puts headings inside its list (axe:
``list`` and ``listitem``, serious), so the navigation is hidden and this
menu is drawn instead: a heading per section and an ``st.page_link`` per page
(an in-app link: the session and who is signed in are kept). The current page
is marked for screen readers (``aria-current``), the document says the
reader's language (``<html lang>``, which Streamlit leaves at "en"), and on a
phone the sidebar closes after a page was chosen, as a phone menu does.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.badges import esc
from ui.text import lang, md

LAST_PAGE_KEY = "menu_last_page"

MENU_STYLE = """<style>
[data-testid="stSidebar"] h2.menu-section {font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.04em; color: #505050; margin: 0.9rem 0 0.1rem 0; padding: 0}
</style>"""
# On every page: Streamlit draws st.caption in grey below AA contrast on white (axe:
# color-contrast, serious); #505050 keeps it small and quiet at 8:1.
PAGE_STYLE = """<style>
[data-testid="stCaptionContainer"] {color: #505050 !important; opacity: 1 !important}
</style>"""

# Marks the link of the page shown with aria-current (Streamlit only draws it bold), again
# whenever the sidebar is redrawn; window.__trackerCurrent is the shown page's menu title.
# Streamlit gives the default page's link the href "?lang=…", which a middle-click or a
# copied link would resolve against the page shown: it is made root-relative.
_MARK_CURRENT = r"""
const markCurrent = () => {
  for (const link of document.querySelectorAll('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')) {
    const href = link.getAttribute("href") || "";
    if (href.startsWith("?")) link.setAttribute("href", "/" + href);
    // the link's text is its icon's name, then its label
    const here = link.innerText.trim().split("\n").pop().trim() === window.__trackerCurrent;
    if (here && link.getAttribute("aria-current") !== "page") link.setAttribute("aria-current", "page");
    if (!here && link.hasAttribute("aria-current")) link.removeAttribute("aria-current");
  }
};
if (!window.__trackerMenu) {
  window.__trackerMenu = true;
  new MutationObserver(markCurrent).observe(document.body, {childList: true, subtree: true});
}
markCurrent();
"""

# Streamlit keeps the sidebar open over the content after a page was chosen on a narrow
# screen; close it the way its own button does (pinned by a browser test: it relies on
# Streamlit's test ids).
_CLOSE_ON_PHONE = """
if (window.matchMedia("(max-width: 767px)").matches) {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (sidebar && button && sidebar.dataset.collapsed === "false") button.click();
}
"""


def sidebar_menu(sections: dict[str, list]) -> None:
    """One heading per section and a link per page, in the sidebar."""
    with st.sidebar:
        st.html(MENU_STYLE)
        for section, pages in sections.items():
            visible = [page for page in pages if page.visibility != "hidden"]
            if not visible:
                continue
            st.html(f'<h2 class="menu-section">{esc(section)}</h2>')
            for page in visible:
                st.page_link(page, label=md(page.title), query_params={"lang": lang()})


def every_run_script(current_path: str, current_title: str) -> None:
    """The reader's language on <html>, the current page marked in the menu, AA-contrast
    captions, and, when the page changed, the sidebar closed on a phone. One invisible element."""
    changed = st.session_state.get(LAST_PAGE_KEY) not in (None, current_path)
    st.session_state[LAST_PAGE_KEY] = current_path
    script = f"document.documentElement.lang = {json.dumps(lang())};"
    script += f"window.__trackerCurrent = {json.dumps(current_title)};" + _MARK_CURRENT
    if changed:
        script += _CLOSE_ON_PHONE
    st.html(f"{PAGE_STYLE}<script>(() => {{{script}}})();</script>", unsafe_allow_javascript=True, width="content")
