"""PaliAPI: page retrieval with late-interaction vision models over Postgres + pgvector."""

__version__ = "0.1.0"
