"""Reminders from the command line (issue 14): ``python -m tracker remind``,
meant for a system timer (README: a cron line and a systemd timer)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from tracker import reminders
from tracker.cli.common import open_database, problem_text
from tracker.mail import MailNotConfigured


def cmd_remind(args) -> int:
    """Exit 0: every due digest sent (or none due); 1: some failed and will be tried
    again by the next run; 2: mail is not configured (nothing sent)."""
    con = open_database(args.db)
    try:
        outcomes = reminders.run(con, dry_run=args.dry_run)
    except MailNotConfigured as error:
        print(f"Error: {problem_text(error)}", file=sys.stderr)
        return 2
    finally:
        con.close()
    failed = [o for o in outcomes if o.outcome == "failed"]
    if args.json:
        print(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False))
    else:
        for o in outcomes:
            retry = " (retry of a failed send)" if o.retried and o.outcome in ("sent", "failed") else ""
            error = f": {o.error}" if o.error else ""
            print(f"{o.email}\t{o.language}\t{o.measures} measures\t{o.outcome}{retry}{error}")
        counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("sent", "failed", "dry_run")}
        print(
            f"{counts['sent']} sent, {counts['failed']} failed (tried again next run), {counts['dry_run']} would be"
            f" sent; {sum(o.outcome == 'opted_out' for o in outcomes)} opted out,"
            f" {sum(o.outcome == 'sent_today' for o in outcomes)} already sent today."
        )
    return 1 if failed else 0


def register(commands) -> None:
    remind = commands.add_parser(
        "remind", help="send today's reminder digests to the measures' contact persons (for a system timer)"
    )
    remind.add_argument("--dry-run", action="store_true", help="say what would be sent, send and write nothing")
    remind.add_argument("--json", action="store_true", help="print one JSON array, one object per contact person")
    remind.set_defaults(func=cmd_remind)
