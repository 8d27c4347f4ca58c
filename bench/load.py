"""A bounded load test of the public view: ``python -m tracker load``.

K simulated visitors at once, each visit a new Streamlit session that runs the
public view to its end, against app servers this command starts on 127.0.0.1
(nothing else is ever contacted) and stops when it is done: one server, then
two servers on the same database (a lake), visits shared between them as a
round-robin proxy would. Each run lasts the given seconds and stops by itself.

A visit is measured at the protocol level, as the browser's Streamlit client
talks to the server: open the websocket, ask for the script run of the page
(``BackMsg.rerun_script``), read every message until ``script_finished``,
i.e. until the server has sent the whole rendered page. On a 2-core machine a
load of real browsers mostly measures the browsers; a few Chromium loads taken
during the load (``browser_loads``) show what a person waits for.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from tracker import db


def _run(coroutine):
    """asyncio.run, in a thread of its own when this one already runs an event loop
    (Playwright's sync API in the same test process does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


ROOT = Path(__file__).resolve().parent.parent
LONGEST_RUN_SECONDS = 300


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def visit(ws_url: str, page_name: str, query: str) -> float:
    """One visitor: a new session and one full run of the page; seconds until its last message."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as socket:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page_name
        await socket.send(message.SerializeToString())
        while True:
            answer = ForwardMsg()
            answer.ParseFromString(await asyncio.wait_for(socket.recv(), timeout=120))
            if answer.WhichOneof("type") == "script_finished":
                return time.perf_counter() - started


async def _load(bases: list[str], sessions: int, seconds: float, page_name: str, query: str) -> dict:
    sockets = [base.replace("http://", "ws://") + "/_stcore/stream" for base in bases]
    times: list[float] = []
    errors: list[str] = []
    turn = 0
    deadline = time.perf_counter() + seconds

    async def visitor() -> None:
        nonlocal turn
        while time.perf_counter() < deadline:
            url = sockets[turn % len(sockets)]
            turn += 1
            try:
                times.append(await visit(url, page_name, query))
            except Exception as error:  # a refused or broken visit counts, and the run goes on
                errors.append(f"{type(error).__name__}: {error}"[:200])

    started = time.perf_counter()
    await asyncio.gather(*(visitor() for _ in range(sessions)))
    elapsed = time.perf_counter() - started
    return {
        "servers": len(bases),
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "visits": len(times),
        "visits_per_s": round(len(times) / elapsed, 2),
        "median_ms": round(statistics.median(times) * 1000) if times else None,
        "p95_ms": round(_quantile(times, 0.95) * 1000) if times else None,
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def browser_loads(url: str, loads: int) -> list[float]:
    """Milliseconds until Chromium shows the public view rendered (bench.browser_speed's test)."""
    from playwright.sync_api import sync_playwright

    from bench.browser_speed import _render_ms
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return [round(_render_ms(browser, url, "a[href^='accessibility']", 1280), 1) for _ in range(loads)]
        finally:
            browser.close()


def _sample_browser(url: str, loads: int, seconds: float, into: list[float]) -> None:
    time.sleep(min(2.0, seconds / 4))
    into.extend(browser_loads(url, loads))


def run(
    target: str,
    *,
    servers: tuple[int, ...] = (1, 2),
    sessions: int = 8,
    seconds: float = 20,
    programme: int | None = None,
    browser_sample: int = 0,
) -> list[dict]:
    """The load on ``servers[i]`` servers in turn (two or more need a lake), each for ``seconds``."""
    import threading

    from tests.browser import serve

    seconds = min(float(seconds), LONGEST_RUN_SECONDS)
    if max(servers) > 1 and not db.is_lake(target):
        raise ValueError("several app servers need a lake: a file is open in one process only")
    query = "embed=true&lang=fi" + (f"&programme={programme}" if programme else "")
    results = []
    for count in servers:
        with ExitStack() as stack:
            bases = [stack.enter_context(serve(ROOT / "server.py", target)) for _ in range(count)]
            for base in bases:  # each server's first run imports the pages and fills its cache
                _run(visit(base.replace("http://", "ws://") + "/_stcore/stream", "public", query))
            sample: list[float] = []
            if browser_sample:
                # a few real page loads while the simulated visitors keep the servers busy
                sampler = threading.Thread(
                    target=_sample_browser, args=(f"{bases[0]}/public?{query}", browser_sample, seconds, sample)
                )
                sampler.start()
            result = _run(_load(bases, sessions, seconds, "public", query))
            if browser_sample:
                sampler.join()
                result["browser_ms"] = sample
                result["browser_median_ms"] = round(statistics.median(sample)) if sample else None
            result["engine"] = "lake" if db.is_lake(target) else "embedded"
            results.append(result)
    return results


def format_results(results: list[dict]) -> str:
    lines = [
        f"{'engine':<9} {'servers':>7} {'sessions':>8} {'visits':>7} {'per s':>7} {'median ms':>10} {'p95 ms':>8}"
        f" {'errors':>6} {'browser ms':>11}"
    ]
    for r in results:
        browser = r.get("browser_median_ms")
        lines.append(
            f"{r['engine']:<9} {r['servers']:>7} {r['sessions']:>8} {r['visits']:>7} {r['visits_per_s']:>7}"
            f" {r['median_ms']!s:>10} {r['p95_ms']!s:>8} {r['errors']:>6} {browser if browser else '':>11}"
        )
    return "\n".join(lines)
