"""Queued jobs name their row's owner: payload `owner_id/id` instead of `id`

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 01:40:00

An ingest job named its document, a delivery job its delivery, by id alone, so the worker's
first statements looked the row up by id: on a single node an index scan, but where the tenant
tables are distributed by owner (Citus), a query to every shard, and its `FOR UPDATE` is not
allowed there at all. The payload now carries the owner too (`app/jobs.py`); this rewrites
the jobs still queued, so a worker of the new version reads every job it finds.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = {"ingest_document": "documents", "deliver_webhook": "webhook_deliveries"}


def upgrade() -> None:
    for entrypoint, table in _TABLES.items():
        op.execute(
            f"""
            UPDATE pgqueuer q SET payload = convert_to(t.owner_id || '/' || t.id, 'UTF8')
            FROM {table} t
            WHERE q.entrypoint = '{entrypoint}' AND convert_from(q.payload, 'UTF8') = t.id::text
            """
        )


def downgrade() -> None:
    for entrypoint in _TABLES:
        op.execute(
            f"""
            UPDATE pgqueuer SET payload = convert_to(
                split_part(convert_from(payload, 'UTF8'), '/', 2), 'UTF8')
            WHERE entrypoint = '{entrypoint}' AND position('/' in convert_from(payload, 'UTF8')) > 0
            """
        )
