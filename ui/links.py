"""Links between the app's pages: relative URLs that keep the reader's
language and programme (and the public view's ``?embed=true``), links that
switch pages inside the running app, and the full page load a sign-in needs.

A plain ``<a href>`` in a page's HTML (a list of measures, the demo notice, the
public view) would reload the whole app: the browser session's state (filters,
what a form holds) would be lost with it. ``in_app_navigation()`` makes a
plain left click on a link to one of the app's own pages switch pages the way
the menu does, without a reload; a middle or modified click still opens a new
tab, and the link stays a real link to copy or bookmark. Going back returns
to the scroll position the page was left at.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlencode

import streamlit as st

from ui.text import lang

# The start page is served at the app's root; links to the overview go there.
START_PAGE = "overview"


def page_link(path: str, **params) -> str:
    """A relative URL to a page that keeps the language and programme."""
    query = {"lang": lang(), **{k: v for k, v in params.items() if v is not None}}
    return f"{_page_path(path)}?{urlencode(query)}"


def _page_path(path: str) -> str:
    return "./" if path == START_PAGE else path


def embedded() -> bool:
    """Whether the page was opened with ``?embed=true`` (links must keep it)."""
    return bool(st.context.is_embedded)


def public_link(path: str, *, language: str | None = None, **params) -> str:
    """A relative URL to a public page in the reader's language (or ``language``),
    keeping embed mode when embedded."""
    query = {"lang": language or lang(), **{k: v for k, v in params.items() if v not in (None, "")}}
    if embedded():
        query["embed"] = "true"
    return f"{_page_path(path)}?{urlencode(query)}"


def remember_view(page: str) -> None:
    """Keep the page's URL query (its filters) for links back to it from other pages."""
    st.session_state[f"links_view_{page}"] = {key: st.query_params.get_all(key) for key in st.query_params}


def view_params(page: str, **params) -> dict[str, list[str] | str]:
    """The query a link back to ``page`` carries: the filters it was last left
    with (remember_view), with ``params`` (language, programme) over them; a
    view of another programme is not brought back."""
    wanted = {key: str(value) for key, value in params.items() if value is not None}
    kept = st.session_state.get(f"links_view_{page}") or {}
    if "programme" in wanted and kept.get("programme") not in (None, [wanted["programme"]]):
        kept = {}
    return {**kept, **wanted}


def _script(body: str) -> str:
    # Nothing in a <script> may close it early, whatever a value holds.
    return "<script>" + body.replace("</", "<\\/") + "</script>"


def full_load(url: str) -> None:
    """Send the browser to ``url`` with a full page load and end this run: the
    only way a run can have the browser carry a new cookie (the sign-in and
    sign-out routes set and clear it)."""
    st.html(_script(f"window.location.replace({json.dumps(url)});"), unsafe_allow_javascript=True)
    st.stop()


# Runs once per browser tab (the flag), in the app's own document (st.html is not iframed).
_IN_APP_LINKS = """
(() => {
  if (window.__trackerInAppLinks) { window.__trackerInAppLinks.pages = new Set(PAGES); return; }
  const state = window.__trackerInAppLinks = { pages: new Set(PAGES), restoring: null };
  const key = (where) => "tracker-scroll:" + where.pathname + where.search;
  const scroller = () => {
    const main = document.querySelector("[data-testid='stMain']");
    return main && main.scrollHeight > main.clientHeight + 1 ? main : document.scrollingElement;
  };
  const keepScroll = () => {
    try { sessionStorage.setItem(key(location), String(scroller().scrollTop)); } catch (e) {}
  };
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("download") || link.hasAttribute("data-full-load")) return;
    const url = new URL(link.getAttribute("href"), location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
    const page = url.pathname.slice(BASE.length).replace(/\\/+$/, "");
    if (!state.pages.has(page)) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    keepScroll();
    history.pushState(null, "", url.pathname + url.search + url.hash);
    // Streamlit's own handler of the browser's Back button switches to the page
    // the address names, with its query, in this same session.
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
    scroller().scrollTo(0, 0);
  });
  // Back and forward: once the page has been drawn again, return to where it was left.
  window.addEventListener("popstate", (event) => {
    if (!event.isTrusted) return;
    let wanted = null;
    try { wanted = Number(sessionStorage.getItem(key(location))); } catch (e) {}
    if (!wanted) return;
    const started = Date.now();
    clearInterval(state.restoring);
    state.restoring = setInterval(() => {
      const box = scroller();
      const app = document.querySelector("[data-testid='stApp']");
      const done = app && app.getAttribute("data-test-script-state") === "notRunning";
      if (box.scrollHeight - box.clientHeight >= wanted || (done && Date.now() - started > 1500)) {
        box.scrollTo(0, wanted);
        clearInterval(state.restoring);
      } else if (Date.now() - started > 8000) {
        clearInterval(state.restoring);
      }
    }, 100);
  });
  window.addEventListener("pagehide", keepScroll);
})();
"""


def in_app_navigation(pages: Iterable[str]) -> None:
    """Make links to the app's own pages (their url paths; the start page is
    the root) switch pages in place; dashboard.py calls it on every run."""
    base = "/" + (st.get_option("server.baseUrlPath") or "").strip("/")
    base = base if base.endswith("/") else base + "/"
    body = _IN_APP_LINKS.replace("PAGES", json.dumps(["", *pages])).replace("BASE", json.dumps(base))
    # The element holds only a script: it takes no room, not even the gap between elements.
    hide = "<style>[data-testid='stElementContainer']:has(script[data-in-app-links]){display:none}</style>"
    st.html(hide + _script(body).replace("<script>", "<script data-in-app-links>", 1), unsafe_allow_javascript=True)
