"""The measures spreadsheet from the command line: import (exit codes of
docs/import-format.md) and export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker import i18n
from tracker.auth import SYSTEM
from tracker.cli.common import EXIT_CODES_HELP, EXIT_DATABASE_BUSY, DatabaseBusy, open_database
from tracker.errors import UserError
from tracker.spreadsheet import exporter, importer


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
    written), 2 the file cannot be used at all (docs/import-format.md), 3 the
    database is held by another process (the running app)."""
    path = Path(args.file)
    lang = i18n.normalise_language(args.lang)
    try:
        data = path.read_bytes()
    except OSError:
        code, report = 2, importer.report(None, lang, errors=[importer.Problem(None, None, "import.file.unreadable")])
    else:
        try:
            con = open_database(args.db)
        except DatabaseBusy as busy:
            if not args.json:
                raise
            code, report = EXIT_DATABASE_BUSY, importer.report(None, lang)
            report["errors"] = [{"row": None, "column": None, "message": busy.message(args.command, lang)}]
            report["database_busy"] = busy.as_json(args.command, lang)
            print(json.dumps(report, ensure_ascii=False))
            return code
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
    con = open_database(args.db, read_only=True)
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


def register(commands) -> None:
    load = commands.add_parser("import", help="import the measures spreadsheet (.csv or .xlsx)", epilog=EXIT_CODES_HELP)
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

    export = commands.add_parser(
        "export", help="export a programme (csv, xlsx) or the whole database (parquet zip)", epilog=EXIT_CODES_HELP
    )
    export.add_argument("out", help="the file to write")
    export.add_argument("--programme", help="programme name (required for csv and xlsx)")
    export.add_argument("--format", required=True, choices=("csv", "xlsx", "parquet"))
    export.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the headers and words")
    export.set_defaults(func=cmd_export)
