"""The /media files Streamlit serves (downloads, images) pass here first: an
internal download past its short life (tracker.short_lived) is answered 404,
as a file that is gone, so its address does not outlive the click that made it."""

from __future__ import annotations

import posixpath

from starlette.responses import PlainTextResponse

from tracker import short_lived

MEDIA_PREFIX = "/media/"


class ExpiringDownloads:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(MEDIA_PREFIX):
            file_id = posixpath.splitext(posixpath.basename(scope["path"]))[0]
            if short_lived.expired(file_id):
                await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
                return
        await self.app(scope, receive, send)
