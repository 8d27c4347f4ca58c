"""Command line: ``python -m tracker COMMAND``.

Each command is a function taking the parsed arguments and returning the
exit code; ``build_parser`` wires them to sub-commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tracker import db, i18n, write
from tracker.auth import ROLES, SYSTEM
from tracker.demo import seed
from tracker.errors import SchemaError, UserError
from tracker.minutes import reader
from tracker.spreadsheet import exporter, importer


def cmd_init(args) -> int:
    """Create the database, or bring an existing one up to date (as migrate), then
    fill it with the demo programme if it holds nothing."""
    path = db.db_path(args.db)
    existed = path != ":memory:" and Path(path).exists()
    con = db.open_file(path)
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


def _problem_text(error: UserError) -> str:
    from tracker import i18n

    problems = getattr(error, "problems", None)
    if problems:
        return "; ".join(f"{field}: {i18n.t(key, 'en', **params)}" for field, (key, params) in problems.items())
    return i18n.t(error.key, "en", **error.params)


def _with_db(args, action) -> int:
    con = db.connect(args.db)
    try:
        return action(con)
    except UserError as error:
        print(f"Error: {_problem_text(error)}", file=sys.stderr)
        return 1
    finally:
        con.close()


def cmd_users_add(args) -> int:
    def action(con):
        password = write.accounts.add_user(con, SYSTEM, args.email, args.role, display_name=args.name)
        print(f"Added {write.accounts.normalise_email(args.email)} ({args.role}). Password (shown once): {password}")
        return 0

    return _with_db(args, action)


def cmd_users_list(args) -> int:
    def action(con):
        rows = con.execute(
            "SELECT email, role, is_active, locked_until, last_login_at, coalesce(display_name, '')"
            " FROM users ORDER BY email"
        ).fetchall()
        if not rows:
            print("No users yet. Add one with: python -m tracker users add EMAIL --role admin")
        for email, role, active, locked_until, last_login, name in rows:
            state = "active" if active else "disabled"
            if locked_until and locked_until > db.utcnow():
                state += f", locked until {locked_until:%Y-%m-%d %H:%M} UTC"
            seen = f"last sign-in {last_login:%Y-%m-%d %H:%M} UTC" if last_login else "never signed in"
            print(f"{email}\t{role}\t{state}\t{seen}\t{name}")
        return 0

    return _with_db(args, action)


def cmd_users_set_role(args) -> int:
    def action(con):
        write.accounts.set_role(con, SYSTEM, args.email, args.role)
        print(f"{write.accounts.normalise_email(args.email)} is now {args.role}.")
        return 0

    return _with_db(args, action)


def cmd_users_disable(args) -> int:
    def action(con):
        write.accounts.set_active(con, SYSTEM, args.email, args.enable)
        print(f"{write.accounts.normalise_email(args.email)} is {'enabled' if args.enable else 'disabled'}.")
        return 0

    return _with_db(args, action)


def cmd_users_reset_password(args) -> int:
    def action(con):
        password = write.accounts.reset_password(con, SYSTEM, args.email)
        print(f"New password for {write.accounts.normalise_email(args.email)} (shown once): {password}")
        return 0

    return _with_db(args, action)


def cmd_migrate(args) -> int:
    con = db.open_file(args.db)
    try:
        applied = db.apply_migrations(con)
    finally:
        con.close()
    print("Applied: " + ", ".join(applied) if applied else "Nothing to apply; the schema is current.")
    return 0


def _print_problems(report: dict) -> None:
    for problem in report["errors"]:
        where = ", ".join(
            part for part in (f"row {problem['row']}" if problem["row"] else "", problem["column"] or "") if part
        )
        print(f"{where}: {problem['message']}" if where else problem["message"], file=sys.stderr)
    for problem in report["warnings"]:
        print(f"warning: {problem['message']}", file=sys.stderr)


def cmd_import(args) -> int:
    """Exit 0 clean (written unless --dry-run), 1 validation errors (nothing
    written), 2 the file cannot be used at all (docs/import-format.md)."""
    path = Path(args.file)
    lang = i18n.normalise_language(args.lang)
    try:
        data = path.read_bytes()
    except OSError:
        code, report = 2, importer.report(None, lang, errors=[importer.Problem(None, None, "import.file.unreadable")])
    else:
        con = db.connect(args.db)
        try:
            code, report = importer.import_bytes(
                con,
                data,
                path.name,
                args.programme,
                caller=SYSTEM,
                dry_run=args.dry_run,
                lang=lang,
                organisation=args.organisation,
            )
        except UserError as exc:
            code = 1
            report = importer.report(None, lang, errors=[importer.Problem(None, None, exc.key, exc.params)])
        finally:
            con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_problems(report)
        state = "written" if report["written"] else "not written"
        print(
            f"{report['rows']} rows, {report['measures']} measures, {report['budget_lines']} budget lines;"
            f" {report['created']} created, {report['updated']} updated; {len(report['errors'])} errors; {state}."
        )
    return code


def cmd_export(args) -> int:
    lang = i18n.normalise_language(args.lang)
    con = db.connect(args.db)
    try:
        if args.format == "parquet":
            tables = exporter.to_parquet_zip(con, args.out)
            print(f"Wrote {len(tables)} tables as Parquet to {args.out}.")
            return 0
        if not args.programme:
            print("--programme is required for csv and xlsx", file=sys.stderr)
            return 2
        try:
            programme_id = exporter.programme_id_by_name(con, args.programme)
        except UserError as exc:
            print(i18n.t(exc.key, lang, **exc.params), file=sys.stderr)
            return 1
        Path(args.out).write_bytes(exporter.export_programme(con, programme_id, args.format, lang))
        print(f"Wrote {args.out}.")
        return 0
    finally:
        con.close()


def cmd_synth(args) -> int:
    from tracker.demo import synth

    path = db.db_path(args.db)
    con = db.connect(path, migrate=True)
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
    except reader.UnreadablePdf:
        print(f"{path}: " + i18n.t("decisions.pdf_unreadable", "en", name=path.name), file=sys.stderr)
        return 1
    except reader.NotADecision:
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

    init = commands.add_parser(
        "init", help="create the database (with demo data unless --empty); an existing one is migrated, not refilled"
    )
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations; the app refuses a database behind")
    migrate.set_defaults(func=cmd_migrate)

    load = commands.add_parser("import", help="import the measures spreadsheet (.csv or .xlsx)")
    load.add_argument("file", help="the .csv or .xlsx file")
    load.add_argument("--programme", required=True, help="programme name; created if it does not exist")
    load.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    load.add_argument("--json", action="store_true", help="print the report as one JSON object")
    load.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the messages")
    load.add_argument(
        "--organisation",
        help="organisation of a new programme (default: the database's only one, else one named as the programme)",
    )
    load.set_defaults(func=cmd_import)

    export = commands.add_parser("export", help="export a programme (csv, xlsx) or the whole database (parquet zip)")
    export.add_argument("out", help="the file to write")
    export.add_argument("--programme", help="programme name (required for csv and xlsx)")
    export.add_argument("--format", required=True, choices=("csv", "xlsx", "parquet"))
    export.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the headers and words")
    export.set_defaults(func=cmd_export)

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
    parse_decision = commands.add_parser(
        "parse-decision", help="read a decision (.txt or .pdf) and print its fields and money"
    )
    parse_decision.add_argument("file", help="the decision text or PDF")
    parse_decision.add_argument("--json", action="store_true", help="print one JSON object")
    parse_decision.set_defaults(func=cmd_parse_decision)

    users = commands.add_parser("users", help="manage local accounts (sign-in without OIDC)")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add = user_commands.add_parser("add", help="add a user and print a generated password once")
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--name", help="display name")
    add.set_defaults(func=cmd_users_add)
    listing = user_commands.add_parser("list", help="list users and their roles")
    listing.set_defaults(func=cmd_users_list)
    set_role = user_commands.add_parser("set-role", help="change a user's role")
    set_role.add_argument("email")
    set_role.add_argument("role", choices=ROLES)
    set_role.set_defaults(func=cmd_users_set_role)
    disable = user_commands.add_parser("disable", help="disable an account (--enable to undo)")
    disable.add_argument("email")
    disable.add_argument("--enable", action="store_true", help="enable the account again")
    disable.set_defaults(func=cmd_users_disable)
    reset = user_commands.add_parser("reset-password", help="set a new generated password, lift a lockout")
    reset.add_argument("email")
    reset.set_defaults(func=cmd_users_reset_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SchemaError as error:  # behind the code, or an applied migration edited: no command may run
        print(f"Error: {i18n.t(error.key, 'en', **error.params)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
