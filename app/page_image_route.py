"""`GET /pages/{id}/image`: a page image, by signed link (what `Page.imageUrl` hands out, for
`<img src>`), or by the owner's bearer token with no signature (full size, as before).

A signed link needs no header: the signature binds the page, the width and the expiry, so an
expired or altered link is 403 whether or not the page exists (nothing is revealed), and a
link to another user's page cannot be made. The bytes of one page at one width never change
(a re-ingested document gets new page ids), hence the ETag and `immutable`; `max-age` stops
at the link's expiry.
"""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import Response

from app.auth import bearer_token, user_from_token
from app.db.engine import Database
from app.errors import ErrorCode
from app.http_limits import error_response
from app.page_images import scaled
from app.page_urls import FULL_SIZE, PageUrlSigner
from app.services import pages

INVALID_LINK = (
    "This image link is invalid or has expired; query `Page.imageUrl` again for a fresh one."
)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 19 else None


async def page_image(request: Request) -> Response:
    db: Database = request.app.state.db
    page_id: int = request.path_params["page_id"]
    params = request.query_params
    if "sig" not in params:
        return await _owner_image(request, db, page_id)
    signer: PageUrlSigner = request.app.state.page_urls
    owner_id, expires = _int(params.get("o")), _int(params.get("exp"))
    width = _int(params.get("w", str(FULL_SIZE)))
    if (
        owner_id is None
        or width is None
        or expires is None
        or not signer.valid(owner_id, page_id, width, expires, params["sig"])
    ):
        return error_response(403, ErrorCode.FORBIDDEN, INVALID_LINK)
    lifetime = int(expires - time.time())  # rounded down: never cached past the link's expiry
    headers = {
        "ETag": f'"page-{page_id}-w{width}"',
        "Cache-Control": f"private, max-age={max(0, lifetime)}, immutable",
    }
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    image = await _stored_image(db, owner_id, page_id)
    if image is None:  # deleted since the link was made
        return _not_found(page_id)
    body, mime = await asyncio.to_thread(scaled, image.data, image.mime, width)
    return Response(body, media_type=mime, headers=headers)


async def _owner_image(request: Request, db: Database, page_id: int) -> Response:
    user = await user_from_token(db, bearer_token(request))
    if user is None:
        return error_response(
            401,
            ErrorCode.UNAUTHENTICATED,
            "Use the signed link `Page.imageUrl` gives, or send `Authorization: Bearer <token>`.",
        )
    assert user.id is not None
    image = await _stored_image(db, user.id, page_id)
    if image is None:
        return _not_found(page_id)
    # Private: the bytes belong to one user; immutable: a page image never changes in place.
    return Response(
        image.data,
        media_type=image.mime,
        headers={"Cache-Control": "private, max-age=86400, immutable"},
    )


async def _stored_image(db: Database, owner_id: int, page_id: int) -> pages.PageImage | None:
    """The owner's page image, or None (another owner's page, or none at all)."""
    async with db.session() as session:
        found = await pages.owned_page_images(
            session=session, owner_id=owner_id, page_ids=[page_id]
        )
    return found.get(page_id)


def _not_found(page_id: int) -> Response:
    return error_response(404, ErrorCode.NOT_FOUND, f"Page {page_id} was not found.")
