"""What the commands share: opening the database and saying a refusal in words."""

from __future__ import annotations

import sys

from tracker import db, i18n
from tracker.errors import UserError


def problem_text(error: UserError) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        return "; ".join(f"{field}: {i18n.t(key, 'en', **params)}" for field, (key, params) in problems.items())
    return i18n.t(error.key, "en", **error.params)


def with_db(args, action) -> int:
    """Run ``action(con)`` on the database; a refusal a user can fix exits 1 with its message."""
    con = db.connect(args.db)
    try:
        return action(con)
    except UserError as error:
        print(f"Error: {problem_text(error)}", file=sys.stderr)
        return 1
    finally:
        con.close()
