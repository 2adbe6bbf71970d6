"""The one failure every ingest step shares."""

from __future__ import annotations


class BadDocument(Exception):
    """The file cannot be turned into pages (encrypted, corrupt, empty, too large)."""
