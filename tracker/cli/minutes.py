"""Reading a decision from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker import i18n
from tracker.minutes import reader


def cmd_parse_decision(args) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        text = reader.extract_pdf_text(data) if data[:5] == b"%PDF-" else data.decode("utf-8", errors="replace")
        parsed = reader.parse(text)
    except (reader.UnreadablePdf, reader.PdfTooSlow, reader.PdfTooHeavy) as refused:
        print(f"{path}: " + i18n.t(refused.key, "en", **refused.params, name=path.name), file=sys.stderr)
        return 1
    except reader.NotADecision:
        print(f"{path}: {i18n.t('decisions.not_a_decision', 'en')}", file=sys.stderr)
        return 1
    except (reader.TextTooLong, reader.ReadingTooSlow) as refused:
        print(f"{path}: {i18n.t(refused.key, 'en', **refused.params)}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(parsed.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for key, value in parsed.as_dict().items():
        if key != "money":
            print(f"{key:12} {'' if value is None else value}")
    if not parsed.money:
        print("money        " + i18n.t("decisions.no_money", "en"))
    for item in parsed.money:
        years = ", ".join(str(year) for year in item.years) or "?"
        centre = " ".join(part for part in (item.cost_centre, item.cost_centre_name) if part) or "?"
        print(f"money        {item.amount_eur} € per {item.per}; years {years}; cost centre {centre}")
    return 0


def register(commands) -> None:
    parse_decision = commands.add_parser(
        "parse-decision", help="read a decision (.txt or .pdf) and print its fields and money"
    )
    parse_decision.add_argument("file", help="the decision text or PDF")
    parse_decision.add_argument("--json", action="store_true", help="print one JSON object")
    parse_decision.set_defaults(func=cmd_parse_decision)
