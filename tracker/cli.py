"""Command line: ``python -m tracker COMMAND``.

Each command is a function taking the parsed arguments and returning the
exit code; ``build_parser`` wires them to sub-commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tracker import db, decisions, i18n, seed


def cmd_init(args) -> int:
    path = db.db_path(args.db)
    existed = path != ":memory:" and Path(path).exists()
    con = db.connect(path)
    try:
        if not db.is_empty(con):
            print(f"Database {path} already holds data; left as it is.")
            return 0
        if args.empty:
            print(f"Created an empty database at {path}.")
            return 0
        seed.load_demo(con)
        verb = "Filled" if existed else "Created"
        print(f"{verb} {path} with the demo programme (data/seed/).")
        return 0
    finally:
        con.close()


def cmd_migrate(args) -> int:
    con = db.connect(args.db, migrate=False)
    try:
        applied = db.apply_migrations(con)
    finally:
        con.close()
    print("Applied: " + ", ".join(applied) if applied else "Nothing to apply; the schema is current.")
    return 0


def cmd_parse_decision(args) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        text = decisions.extract_pdf_text(data) if data[:5] == b"%PDF-" else data.decode("utf-8", errors="replace")
        parsed = decisions.parse(text)
    except decisions.UnreadablePdf:
        print(f"{path}: " + i18n.t("decisions.pdf_unreadable", "en", name=path.name), file=sys.stderr)
        return 1
    except decisions.NotADecision:
        print(f"{path}: {i18n.t('decisions.not_a_decision', 'en')}", file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="Climate-programme action tracker")
    parser.add_argument("--db", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (with demo data unless --empty)")
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(func=cmd_migrate)

    parse_decision = commands.add_parser(
        "parse-decision", help="read a decision (.txt or .pdf) and print its fields and money"
    )
    parse_decision.add_argument("file", help="the decision text or PDF")
    parse_decision.add_argument("--json", action="store_true", help="print one JSON object")
    parse_decision.set_defaults(func=cmd_parse_decision)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
