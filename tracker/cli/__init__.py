"""Command line: ``python -m tracker COMMAND``.

Each area of the app registers its sub-commands from a module of this
package (``register(commands)``); a command is a function taking the parsed
arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import sys

from tracker import i18n
from tracker.cli import database, embed, emissions, minutes, periods, reminders, report, spreadsheet, users
from tracker.cli.common import EXIT_CODES_HELP, DatabaseBusy, report_busy
from tracker.errors import SchemaError

# Each module adds its sub-commands, in the order --help lists them.
AREAS = (database, spreadsheet, minutes, users, emissions, periods, reminders, report, embed)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tracker", description="Climate-programme action tracker", epilog=EXIT_CODES_HELP
    )
    parser.add_argument("--db", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)
    for area in AREAS:
        area.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DatabaseBusy as busy:  # the running app (or another command) holds the file
        return report_busy(args, busy)
    except SchemaError as error:  # behind the code, or an applied migration edited: no command may run
        print(f"Error: {i18n.t(error.key, 'en', **error.params)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
