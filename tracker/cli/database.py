"""Commands that make or change the database as a whole: init, migrate, copy
(a whole database into a new one, file or lake), and the synthetic data and
benchmark for scale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker import db, lake, write
from tracker.auth import SYSTEM
from tracker.cli.common import open_database
from tracker.demo import seed
from tracker.errors import TrackerError


def cmd_init(args) -> int:
    """Create the database, or bring an existing one up to date (as migrate), then
    fill it with the demo programme if it holds nothing."""
    path = db.db_path(args.db)
    existed = path != ":memory:" and not db.is_lake(path) and Path(path).exists()
    shown = lake.shown(path)
    con = open_database(path, as_is=True)
    try:
        existed = bool(db.applied_migrations(con))
        applied = db.apply_migrations(con)
        if existed and applied:
            print("Applied: " + ", ".join(applied))
        if not db.is_empty(con):
            print(f"Database {shown} already holds data; left as it is.")
            return 0
        if args.empty:
            print(f"Created an empty database at {shown}.")
            return 0
        seed.load_demo(con)
        verb = "Filled" if existed else "Created"
        print(f"{verb} {shown} with the demo programme (data/seed/).")
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


def cmd_copy(args) -> int:
    from tracker.copy import copy_database

    source = db.db_path(args.db)
    try:
        result = copy_database(source, args.to)
    except TrackerError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    verdict = "identical row for row" if result.identical else f"DIFFERENT: {result.differences}"
    print(
        f"Copied {result.rows} rows of {len(result.tables)} tables from {lake.shown(source)} to"
        f" {lake.shown(args.to)} (schema {result.schema_seconds:.1f} s, rows {result.copy_seconds:.1f} s,"
        f" check {result.verify_seconds:.1f} s): {verdict}."
    )
    return 0 if result.identical else 1


def cmd_maintain(args) -> int:
    """A lake's snapshot expiry and file upkeep; a file's checkpoint."""
    target = db.db_path(args.db)
    con = db.connect(target)
    try:
        if not db.is_lake(target):
            con.execute("CHECKPOINT")
            print(f"Checkpointed {target}.")
            return 0
        done = lake.maintain(con, args.keep_days)
    finally:
        con.close()
    print(
        f"{lake.shown(target)}: {done['tables_flushed']} tables' small inserts written to files,"
        f" {done['files_merged']} files merged, {done['snapshots_expired']} snapshots older than"
        f" {args.keep_days} days expired, {done['files_deleted'] + done['orphans_deleted']} files deleted."
    )
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
        f"Added {summary.organisations} synthetic municipalities to {lake.shown(path)}: {summary.measures} measures,"
        f" {summary.status_events} status events, {summary.budget_lines} budget lines,"
        f" {summary.decisions} decisions in {summary.seconds:.1f} s."
    )
    return 0


def cmd_bench(args) -> int:
    from bench import bench

    return bench.main(args)


def cmd_load(args) -> int:
    import json

    from bench import load

    target = db.db_path(args.db)
    servers = tuple(int(n) for n in args.servers.split(","))
    results = load.run(
        target,
        servers=servers,
        sessions=args.sessions,
        seconds=args.seconds,
        programme=args.programme,
        browser_sample=args.browser,
    )
    print(load.format_results(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(r["visits"] and not r["errors"] for r in results) else 1


def register(commands) -> None:
    init = commands.add_parser(
        "init", help="create the database (with demo data unless --empty); an existing one is migrated, not refilled"
    )
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations; the app refuses a database behind")
    migrate.set_defaults(func=cmd_migrate)

    copy = commands.add_parser(
        "copy",
        help="copy the whole database (--db) into a new one, a file or a lake, and check it row for row",
    )
    copy.add_argument(
        "--to", required=True, metavar="TARGET", help="a new file, or ducklake:postgres:<conninfo> (TRACKER_DATA_PATH)"
    )
    copy.set_defaults(func=cmd_copy)

    maintain = commands.add_parser(
        "maintain", help="a lake: expire old snapshots and delete the files they held (a file: checkpoint)"
    )
    maintain.add_argument(
        "--keep-days", type=int, default=30, metavar="D", help="keep D days of snapshots for time travel (default 30)"
    )
    maintain.set_defaults(func=cmd_maintain)

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
    bench.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="a new lake (ducklake:postgres:...) to run the benchmark on too, beside the embedded file",
    )
    bench.set_defaults(func=cmd_bench)

    load = commands.add_parser(
        "load",
        help="load test of the public view: K visitors at once against 1 and 2 app servers it starts on 127.0.0.1",
    )
    load.add_argument("--servers", default="1,2", help="server counts to run in turn (default 1,2; 2 needs a lake)")
    load.add_argument("--sessions", type=int, default=8, metavar="K", help="visitors at once (default 8)")
    load.add_argument("--seconds", type=float, default=20, help="length of each run, at most 300 (default 20)")
    load.add_argument("--programme", type=int, help="the programme the public view shows (default: the default one)")
    load.add_argument("--browser", type=int, default=0, metavar="N", help="also N Chromium loads during each run")
    load.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    load.add_argument("--db", default=argparse.SUPPRESS, help="database (as the global --db)")
    load.set_defaults(func=cmd_load)
