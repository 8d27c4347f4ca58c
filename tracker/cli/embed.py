"""The embed snippet from the command line: the same iframe and script as the
embed builder page gives."""

from __future__ import annotations

import sys

from tracker import i18n, settings
from tracker.cli.common import command_language, on_database
from tracker.present import embed


@on_database()
def cmd_embed_snippet(con, args) -> int:
    print(
        embed.programme_snippet(
            con, args.base_url, programme_id=args.programme, lang=args.lang, theme=args.theme, height=args.height
        )
    )
    # on stderr, so that the snippet alone can still be piped into a file
    unlisted = embed.unlisted_warning(settings.get(con, "embed_allowed_origins"), command_language(args))
    if unlisted:
        print(unlisted, file=sys.stderr)
    return 0


def register(commands) -> None:
    parser = commands.add_parser(
        "embed-snippet",
        help="print the HTML that embeds the public view in a web page (iframe + the app's /embed.js)",
    )
    parser.add_argument("--base-url", required=True, help="the app's public address, e.g. https://ilmasto.example.fi")
    parser.add_argument("--programme", type=int, help="programme id (default: the public view's)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE, help="language (default fi)")
    parser.add_argument("--theme", type=int, help="show one theme (its position)")
    parser.add_argument(
        "--height", type=int, default=embed.DEFAULT_HEIGHT, help="height in pixels before the script sizes it"
    )
    parser.set_defaults(func=cmd_embed_snippet)
