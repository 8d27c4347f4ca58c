"""Many residents at once (issue 15): the public view under a news spike, on
one server on loopback, measured at the protocol level (a browser on this
2-core machine mostly measures itself: twenty Chromium contexts loading a
static 14 KB page already take seconds each; see the Streamlit spike's notes).

    .venv/bin/python -m bench.residents DB [--visitors 50] [--rounds 5] [--json FILE]

It starts the real server (``streamlit run server.py``) on a copy of DB and
measures, for each kind of resident visit:

- **light**: the embedded light view ``/view?embed=true&lang=…`` (what the
  embed snippet shows): one new HTTP connection per visitor that reads the
  whole document (gzip, as browsers ask). The page holds everything a browser
  needs to draw it (inline CSS, no script but the height one, no other file).
  A rendered page is that answer plus the drawing on the resident's own
  device, which no other resident shares: measured once in Chromium
  (navigation to the load event) and added to each answer's time.
- **streamlit**: the Streamlit public page ``/public`` as its frontend asks
  for it: a new websocket session, one script run, until ``script_finished``
  (the server's whole share of a visit).

Each kind: ``single`` visits one after another (median), then ``rounds`` of
``visitors`` visits released at once (p50/p95/max over every visit); the
first concurrent round of the light view runs on an empty cache (built once
per data version and language) and is also reported alone. Residents read
fi, sv and en in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fi", "sv", "en")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _summary(values: list[float]) -> dict:
    return {
        "visits": len(values),
        "p50_ms": round(1000 * statistics.median(values), 1),
        "p95_ms": round(1000 * _percentile(values, 0.95), 1),
        "max_ms": round(1000 * max(values), 1),
    }


# -- the light view over HTTP --


async def _light_visit(host: str, port: int, lang: str) -> float:
    """Seconds from connecting to the last byte of the embedded light view, as a browser
    asks for it (gzip, a new connection); status 200 required."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET /view?embed=true&lang={lang} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/html\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    elapsed = time.perf_counter() - started
    if not answer.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"light view answered {answer[:40]!r}")
    return elapsed


def light_at_once(base: str, count: int) -> list[float]:
    """``count`` visits of the light view started together (one process, one connection each)."""
    address = urlsplit(base)

    async def everyone():
        return await asyncio.gather(
            *(_light_visit(address.hostname, address.port, LANGS[i % len(LANGS)]) for i in range(count))
        )

    return list(asyncio.run(everyone()))


def rendered_in_chromium(url: str, loads: int = 5) -> float:
    """Median seconds from navigation to the load event of ``url`` in Debian's chromium
    (a fresh context each time, so nothing comes from its cache): the device's share."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(loads + 1):
                context = browser.new_context(viewport={"width": 380, "height": 900})
                page = context.new_page()
                page.goto(url, wait_until="load")
                times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                context.close()
        finally:
            browser.close()
    return statistics.median(times[1:])


# -- the Streamlit page over its websocket --


async def _streamlit_visit(ws_url: str, lang: str) -> float:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=300) as socket:
        message = BackMsg()
        message.rerun_script.query_string = f"lang={lang}"
        message.rerun_script.page_name = "public"
        await socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await socket.recv())
            if forward.WhichOneof("type") == "script_finished":
                return time.perf_counter() - started


def streamlit_at_once(base: str, count: int) -> list[float]:
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"

    async def everyone():
        return await asyncio.gather(*(_streamlit_visit(ws_url, LANGS[i % len(LANGS)]) for i in range(count)))

    return list(asyncio.run(everyone()))


def residents(db_path: str | Path, *, visitors: int = 50, rounds: int = 5, singles: int = 20) -> dict:
    from tests.browser import serve

    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "residents.duckdb"
        shutil.copy(db_path, copy)
        with serve(ROOT / "server.py", copy, timeout=120) as base:
            light_cold = light_at_once(base, visitors)
            light_single = [light_at_once(base, 1)[0] for _ in range(singles)]
            light_rounds = []
            for _ in range(rounds):
                light_rounds += light_at_once(base, visitors)
                time.sleep(0.5)
            device = rendered_in_chromium(f"{base}/view?embed=true&lang=fi")
            streamlit_at_once(base, 3)  # warm the script's imports and caches
            streamlit_single = [streamlit_at_once(base, 1)[0] for _ in range(max(3, singles // 4))]
            streamlit_rounds = [t for _ in range(max(1, rounds // 2)) for t in streamlit_at_once(base, visitors)]
    single_light = statistics.median(light_single)
    light = _summary(light_rounds)
    # Each resident's own device draws the page; only the server is shared. A rendered page
    # is the server's answer plus the device's drawing of it (measured once in Chromium,
    # where it includes one server answer, taken off here).
    drawing = max(0.0, device - single_light)
    rendered_single = single_light + drawing
    rendered_p95 = _percentile(light_rounds, 0.95) + drawing
    single_streamlit = statistics.median(streamlit_single)
    streamlit = _summary(streamlit_rounds)
    return {
        "visitors": visitors,
        "light": {
            "single_ms": round(1000 * single_light, 1),
            "at_once": light,
            "cold_first_round": _summary(light_cold),
            "server_p95_over_single": round(light["p95_ms"] / (1000 * single_light), 2),
            "chromium_single_load_ms": round(1000 * device, 1),
            "rendered_single_ms": round(1000 * rendered_single, 1),
            "rendered_p95_at_once_ms": round(1000 * rendered_p95, 1),
            "rendered_p95_over_single": round(rendered_p95 / rendered_single, 2),
        },
        "streamlit": {
            "single_ms": round(1000 * single_streamlit, 1),
            "at_once": streamlit,
            "server_p95_over_single": round(streamlit["p95_ms"] / (1000 * single_streamlit), 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.residents", description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="the database to serve (copied first)")
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args(argv)
    result = residents(args.db, visitors=args.visitors, rounds=args.rounds)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
