"""SYKE's emission figures from the command line (docs/emissions.md):

- ``emissions import FILE --organisation NAME [--municipality-number N] [--dry-run] [--json]``:
  a municipality's ``kunta_<n>.csv`` or the all-municipality workbook, all or nothing;
  exit 0 clean (written unless --dry-run), 1 problems (nothing written), 2 the file
  cannot be used at all;
- ``emissions show --organisation NAME [--json]``: per year the three readings, whether
  the year is preliminary and the level-3 sectors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker import i18n
from tracker.auth import SYSTEM
from tracker.cli.common import open_database, print_problems
from tracker.errors import UserError
from tracker.outcomes import syke_import
from tracker.spreadsheet.plan import Problem


def cmd_import(args) -> int:
    path = Path(args.file)
    lang = i18n.normalise_language(args.lang)
    try:
        data = path.read_bytes()
    except OSError:
        code = 2
        report = syke_import.report(
            None, [], lang, written=False, errors=[Problem(None, None, "import.file.unreadable")]
        )
    else:
        con = open_database(args.db)
        try:
            organisation_id = syke_import.find_organisation(con, args.organisation)
            code, report = syke_import.import_bytes(
                con,
                data,
                path.name,
                organisation_id,
                caller=SYSTEM,
                choices=syke_import.Choices(args.municipality_number, args.preliminary_year, args.allow_older),
                dry_run=args.dry_run,
                lang=lang,
            )
        except UserError as exc:
            code = 1
            problem = Problem(None, None, exc.key, exc.params)
            report = syke_import.report(None, [], lang, written=False, errors=[problem])
        finally:
            con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return code
    print_problems(report)
    for organisation in report["organisations"]:
        print("\n  ".join(syke_import.change_lines(organisation, lang)))
    state = "written" if report["written"] else "not written"
    print(f"{report['rows']} rows; {len(report['errors'])} errors; {state}.")
    return code


def _kt(value) -> str:
    return "–" if value is None else f"{value:.3f}".rstrip("0").rstrip(".")


def cmd_show(args) -> int:
    con = open_database(args.db)
    try:
        organisation_id = syke_import.find_organisation(con, args.organisation)
        years = syke_import.show(con, organisation_id)
    except UserError as exc:
        print(f"Error: {i18n.t(exc.key, 'en', **exc.params)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.json:
        print(json.dumps(years, ensure_ascii=False))
        return 0
    if not years:
        print(f"No SYKE emission figures for {args.organisation}.")
        return 0
    for year in years:
        marker = " (preliminary)" if year["preliminary"] else ""
        print(
            f"{year['year']}{marker}: all sectors {_kt(year['total_kt'])} kt,"
            f" without emissions trading {_kt(year['non_ets_kt'])} kt, Hinku {_kt(year['hinku_kt'])} kt"
        )
        for sector, kt in year["sectors"].items():
            print(f"    {sector}: {_kt(kt)} kt")
    return 0


def register(commands) -> None:
    area = commands.add_parser("emissions", help="SYKE's emission figures (ALas): import a file, show the figures")
    actions = area.add_subparsers(dest="emissions_command", required=True)

    load = actions.add_parser("import", help="import kunta_<n>.csv or the all-municipality workbook (.xlsx)")
    load.add_argument("file", help="SYKE's file: kunta_<number>.csv or KAIKKI KUNNAT_ALas ... .xlsx")
    load.add_argument("--organisation", required=True, help="the organisation (any language's name)")
    load.add_argument(
        "--municipality-number",
        type=int,
        help="the organisation's municipality number (kuntanumero), stored with it; needed once",
    )
    load.add_argument(
        "--preliminary-year", type=int, help="a year to mark preliminary when the file does not say (2023e)"
    )
    load.add_argument("--allow-older", action="store_true", help="replace newer stored figures with an older file's")
    load.add_argument("--dry-run", action="store_true", help="check and say what would change, write nothing")
    load.add_argument("--json", action="store_true", help="print the report as one JSON object")
    load.add_argument("--lang", default="en", choices=i18n.LANGUAGES, help="language of the messages")
    load.set_defaults(func=cmd_import)

    show = actions.add_parser("show", help="per year: the three readings, preliminary or not, the sectors")
    show.add_argument("--organisation", required=True, help="the organisation (any language's name)")
    show.add_argument("--json", action="store_true", help="print a JSON list")
    show.set_defaults(func=cmd_show)
