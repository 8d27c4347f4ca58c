"""The script an embedded public page runs to tell embed.js its height, in one
copy for both public views: the Streamlit one (ui/public_view.py) measures
Streamlit's block container, the light HTML one (web/public_html.py) its
``#page`` element. Whenever the measured element changes size (a filter, a
measure or ``<details>`` opened, a page switch, fonts loaded) the height is
posted, so embed.js sizes the iframe and nothing scrolls inside."""

from __future__ import annotations

import json

_SCRIPT = """<script>(() => {
  if (window.__trackerHeight || window.parent === window) return;
  window.__trackerHeight = true;
  let last = 0;
  const box = () => document.querySelector(__SELECTOR__);
  const post = () => {
    const element = box();
    if (!element) return;
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height !== last) { last = height; window.parent.postMessage({type: "tracker:height", height}, "*"); }
  };
  // Streamlit draws the element after this script has run: wait for it
  const start = () => {
    const element = box();
    if (!element) return setTimeout(start, 100);
    new ResizeObserver(post).observe(element);
    post();
  };
  window.addEventListener("load", post);
  // embed.js asks again when it starts after this page has posted (it loads async)
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data && event.data.type === "tracker:height?") { last = 0; post(); }
  });
  start();
})();</script>"""


def post_height_script(selector: str) -> str:
    """The ``<script>`` posting the height of the element ``selector`` (a CSS
    selector written by the app, never by a user) to the embedding page."""
    return _SCRIPT.replace("__SELECTOR__", json.dumps(selector))
