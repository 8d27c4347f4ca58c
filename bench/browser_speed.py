"""How fast the public view renders in a real browser, against a bare Streamlit
page with one chart and one table (bench/bare_page.py) in the same browser.

``public_view_speed(db_path)`` starts both apps on free ports, loads each page
several times in Debian's chromium (a fresh browser context per load, so
nothing comes from the HTTP cache), and returns the medians and their ratio.
The target is a ratio within 1.5. Needs the dev requirements (playwright).
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
BARE_PAGE = ROOT / "bench" / "bare_page.py"
# Rendered: Streamlit's script run has finished, no skeleton is left, the chart's SVG
# is drawn and the page's last element is there (the public view's footer link, the
# bare page's table). Returns the milliseconds since navigation started.
RENDERED = """(last) => {
    const app = document.querySelector("[data-testid='stApp']");
    const done = app && app.getAttribute("data-test-script-state") === "notRunning"
        && !document.querySelector("[data-testid='stSkeleton']")
        && document.querySelector(".js-plotly-plot .main-svg")
        && document.querySelector(last);
    return done ? performance.now() : false;
}"""


def _render_ms(browser, url: str, last: str, width: int) -> float:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        handle = page.wait_for_function(RENDERED, arg=last, polling="raf", timeout=60000)
        return float(handle.json_value())
    finally:
        context.close()


def public_view_speed(
    db_path: str | os.PathLike, *, loads: int = 7, width: int = 1280, query: str = "embed=true&lang=fi"
) -> dict:
    """Median render times (ms) of the public view and of the bare page, and their ratio.

    Each page is loaded once first to warm the servers (not counted); then the two
    are loaded in turn ``loads`` times each.
    """
    from playwright.sync_api import sync_playwright

    with serve(ROOT / "server.py", db_path) as app, serve(BARE_PAGE) as bare, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            targets = {
                "public": (f"{app}/public?{query}", "a[href^='accessibility']"),
                "bare": (bare, "[data-testid='stTable']"),
            }
            samples: dict[str, list[float]] = {name: [] for name in targets}
            for url, last in targets.values():
                _render_ms(browser, url, last, width)
            for _ in range(loads):
                for name, (url, last) in targets.items():
                    samples[name].append(_render_ms(browser, url, last, width))
        finally:
            browser.close()
    public_ms = statistics.median(samples["public"])
    bare_ms = statistics.median(samples["bare"])
    return {
        "public_ms": round(public_ms, 1),
        "bare_ms": round(bare_ms, 1),
        "ratio": round(public_ms / bare_ms, 3),
        "loads": loads,
        "samples": {name: [round(v, 1) for v in values] for name, values in samples.items()},
    }


if __name__ == "__main__":
    print(public_view_speed(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRACKER_DB", "data/tracker.duckdb")))
