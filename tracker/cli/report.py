"""The board report from the command line (issue 14):
``python -m tracker report --programme NAME [--period LABEL] [--compare LABEL] [--lang fi|sv|en] --out FILE.pdf``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from tracker import db, i18n
from tracker.cli.common import on_database
from tracker.report import content, pdf, scope
from tracker.spreadsheet.exporter import programme_id_by_name


@on_database()
def cmd_report(con, args) -> int:
    programme_id = programme_id_by_name(con, args.programme)
    chosen = scope.resolve(
        con,
        programme_id,
        args.lang,
        period_name_text=args.period,
        compare_name_text=args.compare,
        include_unpublished=not args.public,
    )
    report = content.build(scope.collect(partial(db.query, con), chosen), chosen)
    Path(args.out).write_bytes(pdf.render(report, summary=args.summary))
    print(f"Wrote {args.out}: {report.title}.")
    return 0


def register(commands) -> None:
    report = commands.add_parser("report", help="the board report as PDF (a period's frozen figures, or now)")
    report.add_argument("--programme", required=True, help="programme name")
    report.add_argument("--period", help="a closed reporting period (its name in any language); default: now")
    report.add_argument("--compare", help="a closed period to compare with: what changed since")
    report.add_argument("--lang", default="fi", choices=i18n.LANGUAGES, help="language of the report")
    report.add_argument("--summary", action="store_true", help="the one-page summary only")
    report.add_argument("--public", action="store_true", help="published measures only")
    report.add_argument("--out", required=True, help="the PDF file to write")
    report.set_defaults(func=cmd_report)
