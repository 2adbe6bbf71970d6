"""Permission classes, declared next to each field they guard."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from app.errors import ErrorCode, PaliError


class IsAuthenticated(BasePermission):
    message = "Authentication required: send `Authorization: Bearer <token>` (see `paliapi users`)."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.user is not None

    def on_unauthorized(self) -> None:
        raise PaliError(ErrorCode.UNAUTHENTICATED, self.message)
