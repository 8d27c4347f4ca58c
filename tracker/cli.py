"""Command line: ``python -m tracker COMMAND``.

Each command is a function taking the parsed arguments and returning the
exit code; ``build_parser`` wires them to sub-commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker import accounts, db, seed
from tracker.auth import ROLES, SYSTEM
from tracker.errors import UserError


def cmd_init(args) -> int:
    path = db.db_path(args.db)
    existed = path != ":memory:" and Path(path).exists()
    con = db.connect(path)
    try:
        if not db.is_empty(con):
            print(f"Database {path} already holds data; left as it is.")
            return 0
        if args.empty:
            print(f"Created an empty database at {path}.")
            return 0
        seed.load_demo(con)
        verb = "Filled" if existed else "Created"
        print(f"{verb} {path} with the demo programme (data/seed/).")
        password = accounts.add_user(con, SYSTEM, DEMO_ADMIN, "admin", display_name="Demo admin")
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
        password = accounts.add_user(con, SYSTEM, args.email, args.role, display_name=args.name)
        print(f"Added {accounts.normalise_email(args.email)} ({args.role}). Password (shown once): {password}")
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
        accounts.set_role(con, SYSTEM, args.email, args.role)
        print(f"{accounts.normalise_email(args.email)} is now {args.role}.")
        return 0

    return _with_db(args, action)


def cmd_users_disable(args) -> int:
    def action(con):
        accounts.set_active(con, SYSTEM, args.email, args.enable)
        print(f"{accounts.normalise_email(args.email)} is {'enabled' if args.enable else 'disabled'}.")
        return 0

    return _with_db(args, action)


def cmd_users_reset_password(args) -> int:
    def action(con):
        password = accounts.reset_password(con, SYSTEM, args.email)
        print(f"New password for {accounts.normalise_email(args.email)} (shown once): {password}")
        return 0

    return _with_db(args, action)


def cmd_migrate(args) -> int:
    con = db.connect(args.db, migrate=False)
    try:
        applied = db.apply_migrations(con)
    finally:
        con.close()
    print("Applied: " + ", ".join(applied) if applied else "Nothing to apply; the schema is current.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="Climate-programme action tracker")
    parser.add_argument("--db", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the database (with demo data unless --empty)")
    init.add_argument("--empty", action="store_true", help="create the schema only, no demo data")
    init.set_defaults(func=cmd_init)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(func=cmd_migrate)

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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
