"""The one rule for every URL the server requests itself: document URLs, a web page's
resources and webhook endpoints (the guard is app/ingest/fetch.py's `UrlPolicy`)."""

from __future__ import annotations

from app.ingest.fetch import UrlPolicy
from app.settings import settings


def url_policy() -> UrlPolicy:
    """The ports and addresses outbound requests may reach, from the settings."""
    return UrlPolicy(
        allowed_ports=settings.url_allowed_ports, allow_private=settings.allow_private_urls
    )
