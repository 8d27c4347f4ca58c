"""Local accounts from the command line (sign-in without OIDC)."""

from __future__ import annotations

import pandas as pd

from tracker import db, write
from tracker.auth import ROLES, SYSTEM
from tracker.cli.common import EXIT_CODES_HELP, on_database


@on_database()
def cmd_users_add(con, args) -> int:
    password = write.accounts.add_user(con, SYSTEM, args.email, args.role, display_name=args.name)
    print(f"Added {write.accounts.normalise_email(args.email)} ({args.role}). Password (shown once): {password}")
    return 0


@on_database(read_only=True)
def cmd_users_list(con, args) -> int:
    users = db.query(con, "workspace_users", since=db.utcnow() - write.password_sign_in.FORGET_AFTER)
    if users.empty:
        print("No users yet. Add one with: python -m tracker users add EMAIL --role admin")
    for user in users.itertuples():
        state = "active" if user.is_active else "disabled"
        if user.failed_sign_ins:
            state += f", {user.failed_sign_ins} failed sign-ins"
        seen = f"last sign-in {user.last_login_at:%Y-%m-%d %H:%M} UTC" if not pd.isna(user.last_login_at) else ""
        print(f"{user.email}\t{user.role}\t{state}\t{seen or 'never signed in'}\t{user.display_name or ''}")
    return 0


@on_database()
def cmd_users_set_role(con, args) -> int:
    write.accounts.set_role(con, SYSTEM, args.email, args.role)
    print(f"{write.accounts.normalise_email(args.email)} is now {args.role}.")
    return 0


@on_database()
def cmd_users_disable(con, args) -> int:
    write.accounts.set_active(con, SYSTEM, args.email, args.enable)
    print(f"{write.accounts.normalise_email(args.email)} is {'enabled' if args.enable else 'disabled'}.")
    return 0


@on_database()
def cmd_users_reset_password(con, args) -> int:
    password = write.accounts.reset_password(con, SYSTEM, args.email)
    print(f"New password for {write.accounts.normalise_email(args.email)} (shown once): {password}")
    return 0


def register(commands) -> None:
    users = commands.add_parser("users", help="manage local accounts (sign-in without OIDC)", epilog=EXIT_CODES_HELP)
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
