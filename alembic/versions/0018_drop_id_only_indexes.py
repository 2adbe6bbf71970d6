"""Drop the indexes only lookups by id alone used: every statement now names the owner

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27 02:00:00

Since 0017 no statement reads a tenant table by id alone (`tests/db/test_distribution.py`
checks every statement of a user's whole flow), so the plain `id` indexes 0011 kept for queue
jobs serve nothing: each primary key `(owner_id, id)` answers every lookup. The `owner_id`
indexes of `documents`, `webhooks` and `webhook_deliveries` repeat their primary key's first
column. Every insert paid for them (a page write, one more B-tree entry a page).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, column)
_INDEXES = [
    *((f"ix_{t}_id", t, "id") for t in ("collections", "documents", "pages", "webhooks")),
    ("ix_webhook_deliveries_id", "webhook_deliveries", "id"),
    *((f"ix_{t}_owner_id", t, "owner_id") for t in ("documents", "webhooks", "webhook_deliveries")),
]


def upgrade() -> None:
    for name, table, _ in _INDEXES:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in _INDEXES:
        op.create_index(name, table, [column])
