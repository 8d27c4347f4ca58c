"""What the commands share: opening the database, saying a refusal in words,
and what a command says when another process (the running app) holds the
database file.

DuckDB lets one process write a database file, and while it does no other
process may open the file at all, not even read-only (tested with DuckDB 1.5:
``read_only=True`` and ``ATTACH ... (READ_ONLY)`` are both refused). So while
``make run`` serves the file every command that opens it stops with
EXIT_DATABASE_BUSY and says who holds it and what to do instead. Commands that
only read open the file read-only, so that they can run beside each other.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from tracker import db, i18n
from tracker.errors import UserError

# The exit code of a command that found the database held by another process
# (0 done, 1 refused or invalid, 2 unusable input: docs/import-format.md).
EXIT_DATABASE_BUSY = 3
EXIT_CODES_HELP = (
    "exit codes: 0 done; 1 refused (invalid input, a rule); 2 the input file cannot be used;"
    f" {EXIT_DATABASE_BUSY} the database is held by another process (the running app): use the app's page, or stop"
    " the app and run the command again"
)

# command -> the page of the app that does the same (its url path and menu title key)
SAME_IN_THE_APP = {
    "import": ("import-export", "import_page.nav_title"),
    "export": ("import-export", "import_page.nav_title"),
    "users": ("users", "nav.users"),
}
_HOLDER_PID = re.compile(r"\(PID (\d+)\)")


class DatabaseBusy(Exception):
    """The database file is locked by another process (``pid`` when DuckDB names it)."""

    def __init__(self, path: str, pid: int | None):
        super().__init__(f"{path} is held by process {pid}")
        self.path = path
        self.pid = pid

    def holder_command(self) -> str | None:
        """The holder's command line, when this system tells it (Linux /proc)."""
        if self.pid is None:
            return None
        try:
            raw = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            return None
        return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part) or None

    def held_by_app(self) -> bool:
        command = self.holder_command() or ""
        return "streamlit" in command or "server.py" in command

    def message(self, command: str | None, lang: str) -> str:
        """What happened and what to do, in ``lang``."""
        held_command = self.holder_command()
        if self.pid is None:
            holder = i18n.t("cli.busy_unknown", lang)
        elif self.held_by_app():
            holder = i18n.t("cli.busy_app", lang, pid=self.pid)
        else:
            shown = held_command if held_command and len(held_command) <= 80 else (held_command or "?")[:77] + "..."
            holder = i18n.t("cli.busy_other", lang, pid=self.pid, command=shown)
        text = i18n.t("cli.busy", lang, path=self.path, holder=holder)
        if self.pid is not None and not self.held_by_app():
            return f"{text} {i18n.t('cli.busy_wait', lang)}"
        if command in SAME_IN_THE_APP:
            path, title_key = SAME_IN_THE_APP[command]
            return f"{text} {i18n.t('cli.busy_page', lang, page=i18n.t(title_key, lang), path=path)}"
        return f"{text} {i18n.t('cli.busy_stop', lang)}"

    def as_json(self, command: str | None, lang: str) -> dict:
        return {
            "error": "database_busy",
            "exit_code": EXIT_DATABASE_BUSY,
            "held_by": "app" if self.held_by_app() else "other",
            "pid": self.pid,
            "message": self.message(command, lang),
        }


def _busy(error: duckdb.IOException, path: str) -> DatabaseBusy | None:
    text = str(error)
    if "Could not set lock" not in text and "Conflicting lock" not in text:
        return None
    match = _HOLDER_PID.search(text)
    return DatabaseBusy(path, int(match[1]) if match else None)


def open_database(path=None, *, read_only: bool = False, migrate: bool = False, as_is: bool = False):
    """The database for a command (db.connect, or db.open_file with ``as_is``);
    DatabaseBusy when another process holds the file."""
    target = db.db_path(path)
    try:
        if as_is:
            return db.open_file(target)
        return db.connect(target, migrate=migrate, read_only=read_only)
    except duckdb.IOException as error:
        busy = _busy(error, target)
        if busy is None:
            raise
        raise busy from None


def command_language(args) -> str:
    """The language of a command's messages: its --lang where it has one, else English."""
    return i18n.normalise_language(getattr(args, "lang", None) or "en")


def report_busy(args, busy: DatabaseBusy) -> int:
    """Say that the database is held (JSON on stdout with --json) and return its exit code."""
    lang = command_language(args)
    if getattr(args, "json", None) is True:
        print(json.dumps(busy.as_json(args.command, lang), ensure_ascii=False))
    else:
        print(f"{i18n.t('cli.error', lang)}: {busy.message(args.command, lang)}", file=sys.stderr)
    return EXIT_DATABASE_BUSY


def problem_text(error: UserError) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        return "; ".join(f"{field}: {i18n.t(key, 'en', **params)}" for field, (key, params) in problems.items())
    return i18n.t(error.key, "en", **error.params)


def on_database(*, read_only: bool = False) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Make ``command(con, args)`` the command ``command(args)`` that opens the database given by
    ``--db``, runs it and closes it; a refusal a user can fix exits 1 with its message."""

    def decorate(command: Callable[..., int]) -> Callable[..., int]:
        @functools.wraps(command)
        def run(args) -> int:
            con = open_database(args.db, read_only=read_only)
            try:
                return command(con, args)
            except UserError as error:
                print(f"Error: {problem_text(error)}", file=sys.stderr)
                return 1
            finally:
                con.close()

        return run

    return decorate


def print_problems(report: dict) -> None:
    """An import report's errors (with their row and column) and warnings, on stderr."""
    for problem in report["errors"]:
        where = ", ".join(
            part for part in (f"row {problem['row']}" if problem["row"] else "", problem["column"] or "") if part
        )
        print(f"{where}: {problem['message']}" if where else problem["message"], file=sys.stderr)
    for problem in report["warnings"]:
        print(f"warning: {problem['message']}", file=sys.stderr)
