"""Command line: ``python -m tracker COMMAND``.

Each command is a function taking the parsed arguments and returning the
exit code; ``build_parser`` wires them to sub-commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker import db, seed


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="Climate-programme action tracker")
    parser.add_argument("--db", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (with demo data unless --empty)")
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(func=cmd_migrate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
