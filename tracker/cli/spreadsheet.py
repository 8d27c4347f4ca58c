"""The measures spreadsheet from the command line: import (exit codes of
docs/import-format.md) with the changes it makes, undo of an import batch,
and export."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from tracker import i18n
from tracker.auth import SYSTEM
from tracker.cli.common import EXIT_CODES_HELP, EXIT_DATABASE_BUSY, DatabaseBusy, open_database, print_problems
from tracker.errors import UserError
from tracker.frameworks import export as framework_export
from tracker.present import import_changes
from tracker.spreadsheet import exporter, importer, read, undo


def _print_changes(report: dict, lang: str) -> None:
    for change in report["changes"]:
        print(import_changes.change_line(importer.Change.from_dict(change), lang))


def cmd_import(args) -> int:
    """Exit 0 clean (written unless --dry-run), 1 validation errors (nothing
    written), 2 the file cannot be used at all (docs/import-format.md), 3 the
    database is held by another process (the running app).
    With --undo BATCH: 0 undone, 1 refused (nothing changed)."""
    if args.undo is not None:
        return cmd_undo(args)
    if not args.file or not args.programme:
        args.parser.error("FILE and --programme are required (or --undo BATCH)")
    lang = i18n.normalise_language(args.lang)
    try:
        data, name = read.read_path(args.file)
    except importer.UnusableFile as exc:
        code, report = 2, importer.report(None, lang, errors=[importer.Problem(None, None, exc.key, exc.params)])
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
                name,
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
        print_problems(report)
        _print_changes(report, lang)
        state = "written" if report["written"] else "not written"
        flagged = sum(1 for change in report["changes"] if change["flag"])
        batch = f" (batch {report['batch']}: undo with --undo {report['batch']})" if report["batch"] else ""
        print(
            f"{report['rows']} rows, {report['measures']} measures, {report['budget_lines']} budget lines;"
            f" {report['created']} created, {report['updated']} updated; {len(report['changes'])} changes,"
            f" {flagged} flagged; {len(report['errors'])} errors; {state}{batch}."
        )
    return code


def cmd_undo(args) -> int:
    """Undo an import batch: 0 undone, 1 refused or no such batch (nothing changed)."""
    lang = i18n.normalise_language(args.lang)
    report = {"batch": args.undo, "undone": False, "errors": [], "conflicts": []}
    con = open_database(args.db)
    try:
        result = undo.undo_batch(con, SYSTEM, args.undo)
    except undo.UndoRefused as refused:
        report["errors"].append(i18n.t(refused.key, lang, **refused.params))
        report["conflicts"] = [
            {**conflict.as_dict(), "message": import_changes.conflict_line(conflict, lang)}
            for conflict in refused.conflicts
        ]
    except UserError as exc:
        report["errors"].append(i18n.t(exc.key, lang, **exc.params))
    else:
        report.update(
            undone=True,
            measures_restored=result.measures_restored,
            measures_removed=result.measures_removed,
            budget_lines_restored=result.budget_lines_restored,
            budget_lines_removed=result.budget_lines_removed,
            status_events_removed=result.status_events_removed,
        )
    finally:
        con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    elif report["undone"]:
        lines = report["budget_lines_restored"] + report["budget_lines_removed"]
        print(
            i18n.t(
                "import_undo.done",
                lang,
                batch=args.undo,
                restored=report["measures_restored"],
                removed=report["measures_removed"],
                lines=lines,
            )
        )
    else:
        for message in report["errors"]:
            print(message, file=sys.stderr)
        for conflict in report["conflicts"]:
            print(f"  {conflict['message']}", file=sys.stderr)
    return 0 if report["undone"] else 1


def cmd_export(args) -> int:
    lang = i18n.normalise_language(args.lang)
    con = open_database(args.db, read_only=True)
    try:
        if args.format == "parquet":
            tables = exporter.to_parquet_zip(con, args.out)
            print(f"Wrote {len(tables)} tables as Parquet to {args.out}.")
            return 0
        if not args.programme:
            print("--programme is required for csv, xlsx, cdp and com", file=sys.stderr)
            return 2
        try:
            programme_id = exporter.programme_id_by_name(con, args.programme)
        except UserError as exc:
            print(i18n.t(exc.key, lang, **exc.params), file=sys.stderr)
            return 1
        if args.format in framework_export.FORMATS:  # the framework exports (issue 14)
            as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
            Path(args.out).write_bytes(framework_export.export_xlsx(con, programme_id, args.format, as_of, lang))
            print(f"Wrote {args.out}.")
            return 0
        Path(args.out).write_bytes(exporter.export_programme(con, programme_id, args.format, lang))
        print(f"Wrote {args.out}.")
        return 0
    finally:
        con.close()


def register(commands) -> None:
    load = commands.add_parser(
        "import",
        help="import the measures spreadsheet (.csv or .xlsx), or undo an import",
        description="Import the measures spreadsheet: prints every field it changes (before -> after, with what"
        " a coordinator would not expect flagged). Every import is one batch; --undo BATCH takes it back."
        " Exit 0: clean (written unless --dry-run) or undone; 1: validation errors or undo refused, nothing"
        " written; 2: the file cannot be used at all.",
        epilog=EXIT_CODES_HELP,
    )
    load.add_argument("file", nargs="?", help="the .csv or .xlsx file")
    load.add_argument("--programme", help="programme name; created if it does not exist")
    load.add_argument("--dry-run", action="store_true", help="validate and show every change, write nothing")
    load.add_argument(
        "--undo",
        type=int,
        metavar="BATCH",
        help="undo the import batch BATCH (its number is printed by the import); refused if edited since",
    )
    load.add_argument("--json", action="store_true", help="print the report as one JSON object")
    load.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the messages")
    load.add_argument(
        "--organisation",
        help="organisation of a new programme (default: the database's only one, else one named as the programme)",
    )
    load.set_defaults(func=cmd_import, parser=load)

    export = commands.add_parser(
        "export",
        help="export a programme (csv, xlsx; cdp, com: the CDP-ICLEI Track and Covenant of Mayors workbooks)"
        " or the whole database (parquet zip)",
        epilog=EXIT_CODES_HELP,
    )
    export.add_argument("out", help="the file to write")
    export.add_argument("--programme", help="programme name (required for csv, xlsx, cdp and com)")
    export.add_argument("--format", required=True, choices=("csv", "xlsx", "parquet", *framework_export.FORMATS))
    export.add_argument("--as-of", help="cdp: the day the status is judged on, YYYY-MM-DD (default: today)")
    export.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the headers and words")
    export.set_defaults(func=cmd_export)
