"""Commands that make or change the database as a whole: init, migrate, and the
synthetic data and benchmark for scale."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker import db, write
from tracker.auth import SYSTEM
from tracker.cli.common import open_database
from tracker.demo import seed


def cmd_init(args) -> int:
    """Create the database, or bring an existing one up to date (as migrate), then
    fill it with the demo programme if it holds nothing."""
    path = db.db_path(args.db)
    existed = path != ":memory:" and Path(path).exists()
    con = open_database(path, as_is=True)
    try:
        applied = db.apply_migrations(con)
        if existed and applied:
            print("Applied: " + ", ".join(applied))
        if not db.is_empty(con):
            print(f"Database {path} already holds data; left as it is.")
            return 0
        if args.empty:
            print(f"Created an empty database at {path}.")
            return 0
        seed.load_demo(con)
        verb = "Filled" if existed else "Created"
        print(f"{verb} {path} with the demo programme (data/seed/).")
        password = write.accounts.add_user(con, SYSTEM, DEMO_ADMIN, "admin", display_name="Demo admin")
        # Shown here in the terminal only, never in the app.
        print(f"Demo admin: {DEMO_ADMIN}  password: {password}  (shown once; sign in at the app's sign-in page)")
        return 0
    finally:
        con.close()


DEMO_ADMIN = "admin@demo.example"


def cmd_migrate(args) -> int:
    con = open_database(args.db, as_is=True)
    try:
        applied = db.apply_migrations(con)
    finally:
        con.close()
    print("Applied: " + ", ".join(applied) if applied else "Nothing to apply; the schema is current.")
    return 0


def cmd_synth(args) -> int:
    from tracker.demo import synth

    path = db.db_path(args.db)
    con = open_database(path, migrate=True)
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
    from bench import bench

    return bench.main(args)


def register(commands) -> None:
    init = commands.add_parser(
        "init", help="create the database (with demo data unless --empty); an existing one is migrated, not refilled"
    )
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations; the app refuses a database behind")
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
