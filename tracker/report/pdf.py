"""The board report as a PDF (issue 14): A4, page numbers, the document's title
and language set, tagged (PDF/UA-1, checked by typst while compiling), text
selectable, charts as vector shapes, readable in black and white.

Typst (the PyPI package bundles the compiler; no network, no browser) lays out
``board.typ`` with the report's content as JSON (data are strings, never
markup); the only font is DejaVu Sans from Debian's fonts-dejavu-core. Typst
was chosen over reportlab, fpdf2 and WeasyPrint: fastest by far, tagged PDF
with a PDF/UA check while compiling, exact text read back, one wheel.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import asdict
from functools import cache
from pathlib import Path

from tracker import i18n
from tracker.errors import TrackerError
from tracker.present import emissions as emissions_present
from tracker.present.charts import TARGET_COLOUR
from tracker.report.content import STATUS_ORDER, Report, status_labels

TEMPLATE = Path(__file__).with_name("board.typ")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
REGIONS = {"fi": "FI", "sv": "FI", "en": "GB"}
PLANNED_COLOUR = "#56B4E9"
ACTUAL_COLOUR = "#0072B2"
CHART_WIDTH = 88.0


class FontMissing(TrackerError):
    """DejaVu Sans is not installed (Debian: apt-get install fonts-dejavu-core)."""


@cache
def _fonts():
    import typst

    missing = [name for name in FONT_FILES if not (FONT_DIR / name).is_file()]
    if missing:
        names = ", ".join(missing)
        raise FontMissing(
            f"the board report needs DejaVu Sans ({names} in {FONT_DIR}): apt-get install fonts-dejavu-core"
        )
    # Only DejaVu (and typst's own embedded fonts, which the template does not use): no system font scan.
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(FONT_DIR)])


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…") if len(text) > width else text


def theme_chart(report: Report, width: float = CHART_WIDTH) -> dict:
    """Stacked horizontal bars of each theme's measures by status, with a legend (mm, y down)."""
    items: list = []
    label_w, bar_h, gap = 34.0, 5.5, 2.5
    plot_w = width - label_w - 1
    largest = max((row["total"] for row in report.theme_rows), default=0) or 1
    scale = plot_w / largest
    y = 0.0
    tiles = {tile["code"]: tile for tile in report.tiles}
    for row in report.theme_rows:
        items.append(("label", {"x": 0, "y": y + bar_h * 0.72, "text": _short(row["theme"], 24), "size": 6.5}))
        x = label_w
        for code, count in zip(STATUS_ORDER, row["counts"], strict=True):
            if not count:
                continue
            tile = tiles[code]
            w = count * scale
            items.append(
                ("rect", {"x": x, "y": y, "w": w, "h": bar_h, "fill": tile["colour"], "pattern": tile["pattern"]})
            )
            label = f"{tile['icon']}{count}" if w >= 7 else (str(count) if w >= 3.5 else "")
            if label:
                items.append(
                    (
                        "seg",
                        {
                            "x": x + w / 2,
                            "y": y + bar_h * 0.72,
                            "text": label,
                            "size": 6,
                            "colour": tile["text_on"],
                            "backing": bool(tile["pattern"]),
                        },
                    )
                )
            x += w
        y += bar_h + gap
    y += 1
    x = 0.0
    for tile in report.tiles:
        text = f"{tile['icon']} {tile['label']}"
        advance = 4.2 + len(text) * 1.35 + 3
        if x + advance > width:
            x, y = 0.0, y + 4.6
        items.append(
            (
                "rect",
                {
                    "x": x,
                    "y": y,
                    "w": 3.2,
                    "h": 3.2,
                    "fill": tile["colour"],
                    "pattern": tile["pattern"],
                    "stroke": "#000000",
                },
            )
        )
        items.append(("label", {"x": x + 4.2, "y": y + 2.7, "text": text, "size": 6}))
        x += advance
    return {"width": width, "height": y + 5, "items": items}


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def money_chart(report: Report, width: float = CHART_WIDTH, height: float = 58.0) -> dict:
    """Planned (light, outlined) and actual (dark) money per year in thousands of euros, with gridlines,
    value labels and a legend (mm, y down)."""
    items: list = []
    years = report.money_by_year
    axis_w, legend_h, top = 11.0, 7.0, 3.0
    plot_h = height - legend_h - 6
    plot_w = width - axis_w
    largest = _nice_ceiling(max([max(y["planned"], y["actual"]) for y in years], default=0))
    lang = report.lang
    for step in range(5):
        tick = largest * step / 4
        y = top + plot_h - tick / largest * plot_h
        items.append(("line", {"x1": axis_w, "y1": y, "x2": width, "y2": y, "colour": "#BBBBBB"}))
        items.append(
            (
                "rlabel",
                {"x": axis_w - 1.2, "y": y + 1.0, "text": i18n.format_number(round(tick / 1000), lang), "size": 6},
            )
        )
    group = plot_w / max(len(years), 1)
    bar_w = group * 0.34
    for index, year in enumerate(years):
        left = axis_w + index * group + group * 0.16
        for offset, (key, fill) in enumerate((("planned", PLANNED_COLOUR), ("actual", ACTUAL_COLOUR))):
            h = year[key] / largest * plot_h if largest else 0
            x = left + offset * bar_w
            items.append(
                ("rect", {"x": x, "y": top + plot_h - h, "w": bar_w, "h": h, "fill": fill, "stroke": "#000000"})
            )
            items.append(
                (
                    "clabel",
                    {
                        "x": x + bar_w / 2,
                        "y": top + plot_h - h - 1.0,
                        "text": i18n.format_number(round(year[key] / 1000), lang),
                        "size": 5.2,
                    },
                )
            )
        items.append(("clabel", {"x": left + bar_w, "y": top + plot_h + 4, "text": str(year["year"]), "size": 6.5}))
    legend_y = height - legend_h + 2
    for offset, (key, fill) in enumerate((("planned", PLANNED_COLOUR), ("actual", ACTUAL_COLOUR))):
        x = axis_w + offset * 30
        items.append(("rect", {"x": x, "y": legend_y, "w": 3.2, "h": 3.2, "fill": fill, "stroke": "#000000"}))
        items.append(("label", {"x": x + 4.2, "y": legend_y + 2.7, "text": report.texts[key], "size": 6}))
    items.append(("label", {"x": axis_w + 62, "y": legend_y + 2.7, "text": report.texts["thousand_eur"], "size": 6}))
    return {"width": width, "height": height, "items": items}


# The emissions chart's lines: the reading the target follows, solid; the target line, the path
# needed and the current pace told apart by their dash too, so they read in black and white.
EMISSION_LINES = (
    ("actual", None, emissions_present.READING_COLOURS["hinku"], 1.4, "solid"),
    ("target_line", "emissions.target_line", TARGET_COLOUR, 0.9, "dashed"),
    ("required_path", "emissions.required_path", emissions_present.PATH_COLOUR, 1.1, "dotted"),
    ("pace_path", "emissions.pace_path", emissions_present.PACE_COLOUR, 0.9, "dash-dotted"),
)


def _ticks(low: float, high: float) -> list[float]:
    """Four or five round gridline values from at most ``low`` (0 unless below it) to at least ``high``."""
    low, high = min(low, 0.0), max(high, 0.0)
    raw = (high - low) / 4 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [i * step for i in range(first, last + 1)]


def _emission_legend(names: list[str], width: float) -> tuple[list, float]:
    """Each line's legend entry (x, row, colour, stroke, dash, text), wrapped to rows
    within ``width``, and the height the rows take."""
    legend: list = []
    x, rows = 0.0, 0
    for (_, _, colour, stroke, dash), name in zip(EMISSION_LINES, names, strict=True):
        text = _short(name, 60)
        advance = 7.0 + len(text) * 1.3 + 3
        if x + advance > width and x > 0:
            x, rows = 0.0, rows + 1
        legend.append((x, rows, colour, stroke, dash, text))
        x += advance
    return legend, (rows + 1) * 4.2 + 1


def _emission_lines(series: list[dict], x_of, y_of) -> list:
    items: list = []
    for key, _, colour, stroke, dash in reversed(EMISSION_LINES):  # the actual figures drawn last, on top
        # a line runs through consecutive years with a figure; a year alone is its marker
        run: list = []
        for point in [*series, {key: None}]:
            if point[key] is None:
                if len(run) > 1:
                    items.append(("poly", {"points": run, "colour": colour, "width": stroke, "dash": dash}))
                run = []
            else:
                run.append([round(x_of(point["year"]), 2), round(y_of(point[key]), 2)])
    return items


def _actual_markers(series: list[dict], x_of, y_of) -> list:
    """A small square at each actual year's figure, open when the year is preliminary."""
    marker = 0.9
    colour = EMISSION_LINES[0][2]
    return [
        (
            "rect",
            {
                "x": x_of(point["year"]) - marker / 2,
                "y": y_of(point["actual"]) - marker / 2,
                "w": marker,
                "h": marker,
                "fill": "#FFFFFF" if point["preliminary"] else colour,
                "stroke": colour,
            },
        )
        for point in series
        if point["actual"] is not None
    ]


def emissions_chart(report: Report, width: float = CHART_WIDTH, height: float = 62.0) -> dict | None:
    """The emissions per year (kt CO2e) under the reading the target follows, with the target line,
    the path needed from the last year and where the current pace leads: lines with gridlines, the
    actual years as markers (a preliminary one open), years below and a legend (mm, y down).
    None without figures."""
    section = report.emissions
    series = section["series"] if section else []
    values = [point[key] for point in series for key, *_ in EMISSION_LINES if point[key] is not None]
    if not values:
        return None
    lang = report.lang
    items: list = []
    names = [section["label"], *(i18n.t(key, lang) for _, key, *_ in EMISSION_LINES[1:])]
    # the legend first, to know how much height it takes (it wraps like the theme chart's)
    legend, legend_h = _emission_legend(names, width)
    axis_w, top = 11.0, 7.0
    plot_h = height - legend_h - top - 6
    plot_w = width - axis_w - 2
    ticks = _ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    span = high - low

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / span * plot_h

    first, last = series[0]["year"], series[-1]["year"]

    def x_of(year: int) -> float:
        return axis_w + 1 + (year - first) / max(last - first, 1) * (plot_w - 2)

    items.append(("label", {"x": 0, "y": top - 1.5, "text": emissions_present.UNIT, "size": 6}))
    for tick in ticks:
        y = y_of(tick)
        items.append(("line", {"x1": axis_w, "y1": y, "x2": width, "y2": y, "colour": "#BBBBBB"}))
        items.append(
            ("rlabel", {"x": axis_w - 1.2, "y": y + 1.0, "text": i18n.format_number(round(tick), lang), "size": 6})
        )
    if low < 0:
        items.append(("line", {"x1": axis_w, "y1": y_of(0), "x2": width, "y2": y_of(0), "colour": "#000000"}))
    labelled = [year for year in range(first, last + 1) if year % 5 == 0]
    for year in labelled:
        items.append(("clabel", {"x": x_of(year), "y": top + plot_h + 4, "text": str(year), "size": 6}))
    items += _emission_lines(series, x_of, y_of)
    items += _actual_markers(series, x_of, y_of)
    legend_top = height - legend_h + 1
    for x, row, colour, stroke, dash, text in legend:
        y = legend_top + row * 4.2 + 1.6
        items.append(("poly", {"points": [[x, y], [x + 6, y]], "colour": colour, "width": stroke, "dash": dash}))
        items.append(("label", {"x": x + 7, "y": y + 1.1, "text": text, "size": 6}))
    return {"width": width, "height": height, "items": items}


def payload(report: Report, *, summary: bool = False) -> str:
    """The JSON the template reads: the report, its charts' geometry and a few layout words."""
    data = asdict(report)
    data.update(
        summary=summary,
        region=REGIONS[report.lang],
        status_labels=status_labels(report.lang),
        theme_chart=theme_chart(report),
        money_chart=money_chart(report),
        emissions_chart=emissions_chart(report, width=88.0 if summary else 180.0, height=62.0 if summary else 72.0),
        changes_heading=(
            i18n.t("report.changes_since", report.lang, period=report.changes["base"]) if report.changes else ""
        ),
    )
    return json.dumps(data, ensure_ascii=False)


def render(report: Report, *, summary: bool = False) -> bytes:
    """The report as PDF bytes (``summary``: the one-page summary)."""
    import typst

    return typst.compile(
        str(TEMPLATE),
        root=str(TEMPLATE.parent),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": payload(report, summary=summary)},
        pdf_standards="ua-1",
    )


def file_name(report: Report, *, summary: bool = False) -> str:
    """A file name from the programme and period, plain ASCII letters and digits."""
    import unicodedata

    words = f"{report.programme} {report.period}" + (" summary" if summary else "")
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_words).split()).lower()
    return f"{slug[:80] or 'report'}.pdf"
