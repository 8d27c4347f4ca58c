"""Reporting periods from the command line: open, mark measures ready, close,
reopen, list and compare (issue 14). Commands act as the system user."""

from __future__ import annotations

import json
import sys
from datetime import date

from tracker import db, i18n
from tracker.auth import SYSTEM
from tracker.cli.common import on_database
from tracker.spreadsheet.exporter import programme_id_by_name
from tracker.write import periods


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"Error: {text!r} is not a day written YYYY-MM-DD") from None


def _period(con, args) -> tuple[int, dict]:
    programme_id = programme_id_by_name(con, args.programme)
    return programme_id, periods.find_period(con, programme_id, args.name)


@on_database()
def cmd_open(con, args) -> int:
    programme_id = programme_id_by_name(con, args.programme)
    fields = {
        "name_fi": args.name,
        "name_sv": args.name_sv,
        "name_en": args.name_en,
        "as_of": _day(args.as_of),
        "due_on": _day(args.due) if args.due else None,
    }
    period_id = periods.open_period(con, SYSTEM, programme_id, fields)
    print(f"Opened period {args.name!r} (id {period_id}) of {args.programme!r}, as of {args.as_of}.")
    return 0


@on_database()
def cmd_ready(con, args) -> int:
    _programme_id, period = _period(con, args)
    frame = db.query(con, "period_readiness", period_id=period["id"], lang="en")
    ids = dict(zip(frame["code"], frame["id"], strict=True))
    unknown = [code for code in args.codes if code not in ids]
    if unknown:
        print(f"Error: no measure with the code {', '.join(unknown)} in {args.programme!r}", file=sys.stderr)
        return 1
    changed = sum(periods.set_ready(con, SYSTEM, period["id"], int(ids[code]), not args.undo) for code in args.codes)
    state = "not ready" if args.undo else "ready"
    print(f"{changed} of {len(args.codes)} measures marked {state} for {period['name_fi']!r}.")
    return 0


@on_database()
def cmd_close(con, args) -> int:
    _programme_id, period = _period(con, args)
    closing = periods.close_period(con, SYSTEM, period["id"], expected_version=period["version"])
    print(
        f"Closed {period['name_fi']!r}: snapshot {closing.closing_id} of {closing.measures} measures,"
        f" {closing.money_lines} budget lines, {closing.decision_links} decision links,"
        f" {closing.indicator_values} indicator values and {closing.indicator_goals} indicator goals."
    )
    return 0


@on_database()
def cmd_reopen(con, args) -> int:
    _programme_id, period = _period(con, args)
    periods.reopen_period(con, SYSTEM, period["id"], args.reason, expected_version=period["version"])
    print(f"Reopened {period['name_fi']!r}; its snapshot is kept until it is closed again.")
    return 0


def _plain(value):
    if value is None or (not isinstance(value, str) and value != value):  # None, NaN, NaT
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


@on_database()
def cmd_list(con, args) -> int:
    programme_id = programme_id_by_name(con, args.programme)
    frame = db.query(con, "reporting_periods", programme_id=programme_id, lang=args.lang)
    rows = [
        {
            "name": row["name_fi"],
            "name_sv": row["name_sv"],
            "name_en": row["name_en"],
            "as_of": _plain(row["as_of"].date()),
            "due": _plain(row["due_on"].date()) if _plain(row["due_on"]) else None,
            "state": row["state"],
            "ready": int(row["ready"]),
            "measures": int(row["measures"]),
            "closed_at": _plain(row["closed_at"]),
            "closings": int(row["closings"]),
            "reopened_at": _plain(row["reopened_at"]),
        }
        for row in frame.to_dict("records")
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No reporting periods in {args.programme!r}.")
    for row in rows:
        due = f", due {row['due']}" if row["due"] else ""
        print(
            f"{row['name']}\t{row['state']}\tas of {row['as_of']}{due}\t{row['ready']}/{row['measures']} ready"
            + (f"\tclosed {row['closed_at'][:16]}" if row["closed_at"] else "")
        )
    return 0


@on_database()
def cmd_compare(con, args) -> int:
    programme_id, period = _period(con, args)
    base = periods.find_period(con, programme_id, args.base)
    for chosen in (period, base):
        if chosen["closing_id"] is None:
            print(f"Error: {chosen['name_fi']!r} has not been closed: it has no snapshot yet", file=sys.stderr)
            return 1
    scope = {
        "programme_id": programme_id,
        "base_period_id": base["id"],
        "period_id": period["id"],
        "include_unpublished": True,
        "today": date.today(),
    }
    summary = {k: _plain(v) for k, v in db.query(con, "period_change_summary", **scope).iloc[0].items()}
    changes = db.query(con, "period_changes", lang=args.lang, **scope)
    measures = [{k: _plain(v) for k, v in row.items()} for row in changes.to_dict("records")]
    if args.json:
        print(
            json.dumps(
                {"base": base["name_fi"], "period": period["name_fi"], "summary": summary, "measures": measures},
                ensure_ascii=False,
                default=str,
            )
        )
        return 0
    print(f"{base['name_fi']} -> {period['name_fi']}")
    print(
        f"done {summary['done_before']} -> {summary['done_after']} ({summary['newly_done']} newly done);"
        f" late {summary['late_before']} -> {summary['late_after']} ({summary['newly_late']} newly late);"
        f" {summary['status_changes']} status changes"
    )
    print(
        f"planned {summary['planned_before']} -> {summary['planned_after']} EUR;"
        f" actual {summary['actual_before']} -> {summary['actual_after']} EUR"
    )
    for row in measures:
        before = i18n.status_label(row["status_before"], args.lang) if row["status_before"] else "-"
        after = i18n.status_label(row["status_after"], args.lang) if row["status_after"] else "-"
        print(f"  {row['code']}\t{before} -> {after}\t{row['progress_before']} -> {row['progress_after']} %")
    return 0


def register(commands) -> None:
    period = commands.add_parser("period", help="reporting periods: open, ready, close, reopen, list, compare")
    actions = period.add_subparsers(dest="period_command", required=True)

    def programme_and_name(parser, name_help="the period's name (in any of its languages)"):
        parser.add_argument("--programme", required=True, help="programme name")
        parser.add_argument("--name", required=True, help=name_help)

    opening = actions.add_parser("open", help="open a reporting period")
    programme_and_name(opening, "the period's name in Finnish, e.g. 'Vuosiraportti 2025'")
    opening.add_argument("--name-sv", help="the name in Swedish")
    opening.add_argument("--name-en", help="the name in English")
    opening.add_argument("--as-of", required=True, help="the day the period reports on, YYYY-MM-DD")
    opening.add_argument("--due", help="the day the updates are due, YYYY-MM-DD")
    opening.set_defaults(func=cmd_open)

    ready = actions.add_parser("ready", help="mark measures ready for an open period (--undo: not ready)")
    programme_and_name(ready)
    ready.add_argument("codes", nargs="+", help="measure codes")
    ready.add_argument("--undo", action="store_true", help="take the ready mark back")
    ready.set_defaults(func=cmd_ready)

    closing = actions.add_parser("close", help="close a period: freeze the snapshot of every measure")
    programme_and_name(closing)
    closing.set_defaults(func=cmd_close)

    reopening = actions.add_parser("reopen", help="reopen a closed period (its snapshot is kept)")
    programme_and_name(reopening)
    reopening.add_argument("--reason", required=True, help="why it is reopened (audited)")
    reopening.set_defaults(func=cmd_reopen)

    listing = actions.add_parser("list", help="the programme's periods")
    listing.add_argument("--programme", required=True, help="programme name")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the names")
    listing.set_defaults(func=cmd_list)

    comparing = actions.add_parser("compare", help="what moved between two closed periods")
    programme_and_name(comparing, "the later period")
    comparing.add_argument("--with", dest="base", required=True, help="the earlier period to compare with")
    comparing.add_argument("--json", action="store_true", help="print one JSON object")
    comparing.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of titles and statuses")
    comparing.set_defaults(func=cmd_compare)
