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


def cmd_synth(args) -> int:
    from tracker import synth

    path = db.db_path(args.db)
    con = db.connect(path)
    try:
        summary = synth.build(con, municipalities=args.municipalities, seed=args.seed)
    finally:
        con.close()
    print(
        f"Added {summary.organisations} synthetic municipalities to {path}: {summary.measures} measures,"
        f" {summary.status_events} status events, {summary.budget_lines} budget lines,"
        f" {summary.decisions} decisions in {summary.seconds:.1f} s."
    )
    return 0


def cmd_bench(args) -> int:
    from tracker import bench

    return bench.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="Climate-programme action tracker")
    parser.add_argument("--db", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (with demo data unless --empty)")
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(func=cmd_migrate)

    synth = commands.add_parser("synth", help="add N synthetic municipalities (scale tests, benchmark)")
    synth.add_argument("--municipalities", type=int, required=True, metavar="N")
    synth.add_argument("--seed", type=int, default=1, help="the same seed gives the same data (default 1)")
    synth.add_argument("--db", default=argparse.SUPPRESS, help="database file (as the global --db)")
    synth.set_defaults(func=cmd_synth)

    bench = commands.add_parser("bench", help="measure page, query, import and update times on synthetic data")
    bench.add_argument("--municipalities", type=int, default=300, metavar="N", help="size of the data (default 300)")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--repeats", type=int, default=5, metavar="R", help="runs per measurement (median)")
    bench.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    bench.add_argument("--workdir", help="keep the synthetic databases here and reuse them (default: a temp dir)")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
