"""Per-request context: the database, the authenticated user, and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.websockets import WebSocket

from app.db.engine import Database
from app.db.models import User
from app.embeddings.cache import CachedEmbedder
from app.errors import ErrorCode, PaliError
from app.ingest.render import Renderer
from app.page_urls import PageUrlSigner
from app.schema.dataloaders import Loaders


@dataclass
class Context:
    request: Request | WebSocket
    db: Database
    user: User | None
    embedder: CachedEmbedder
    renderer: Renderer
    page_urls: PageUrlSigner
    # Set by the websocket protocol from `connection_init` (browsers cannot send headers).
    connection_params: dict[str, object] | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        # Created per request, never shared: a loader's cache must not outlive its request.
        self.loaders = Loaders(self.db, self.user)

    @property
    def owner(self) -> User:
        """The authenticated user (permission classes ran before any resolver asks)."""
        if self.user is None:
            raise PaliError(ErrorCode.UNAUTHENTICATED, "Send `Authorization: Bearer <token>`.")
        return self.user
