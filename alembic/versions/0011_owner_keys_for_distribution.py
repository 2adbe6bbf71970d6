"""owner keys: every tenant table keyed and joined by (owner_id, ...), ready to shard by owner

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 02:00:00

Citus distributes a table by one column and needs that column in every primary key, unique
constraint and foreign key between distributed tables. `pages` and `document_sources` gain
`owner_id` (filled from their document); the primary keys of the tenant tables become
`(owner_id, id)`, their unique constraints and foreign keys among themselves lead with
`owner_id`, and a plain index on `id` keeps lookups by id alone (a queue job names only its
document) an index scan. `users` stays keyed by `id`: it would be a reference table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, primary key before, primary key after)
_KEYS = (
    ("collections", ["id"], ["owner_id", "id"]),
    ("documents", ["id"], ["owner_id", "id"]),
    ("pages", ["id"], ["owner_id", "id"]),
    ("page_embeddings", ["page_id"], ["owner_id", "page_id"]),
    ("document_sources", ["document_id"], ["owner_id", "document_id"]),
    ("webhooks", ["id"], ["owner_id", "id"]),
    ("webhook_deliveries", ["id"], ["owner_id", "id"]),
)
# (table, column, referenced table): after, (owner_id, column) -> (owner_id, id)
_FOREIGN = (
    ("documents", "collection_id", "collections"),
    ("pages", "document_id", "documents"),
    ("page_embeddings", "page_id", "pages"),
    ("page_embeddings", "collection_id", "collections"),
    ("page_embeddings", "document_id", "documents"),
    ("document_sources", "document_id", "documents"),
    ("webhook_deliveries", "webhook_id", "webhooks"),
)
# (name, table, columns before): after, owner_id leads
_UNIQUE = (
    ("uq_documents_collection_name", "documents", ["collection_id", "name"]),
    ("uq_pages_document_number", "pages", ["document_id", "number"]),
    ("uq_webhook_deliveries_webhook_event", "webhook_deliveries", ["webhook_id", "event_id"]),
)
_ID_INDEXED = ("collections", "documents", "pages", "webhooks", "webhook_deliveries")


def upgrade() -> None:
    for table in ("pages", "document_sources"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN owner_id bigint")
        op.execute(
            f"UPDATE {table} t SET owner_id = d.owner_id FROM documents d"  # noqa: S608
            " WHERE d.id = t.document_id"
        )
        op.alter_column(table, "owner_id", nullable=False)
    for table, column, _ in _FOREIGN:
        op.drop_constraint(f"{table}_{column}_fkey", table, type_="foreignkey")
    for name, table, columns in _UNIQUE:
        op.drop_constraint(name, table, type_="unique")
        op.create_unique_constraint(name, table, ["owner_id", *columns])
    for table, _, after in _KEYS:
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, after)
    for table in _ID_INDEXED:
        op.create_index(f"ix_{table}_id", table, ["id"])
    for table, column, target in _FOREIGN:
        op.create_foreign_key(
            f"{table}_{column}_fkey",
            table,
            target,
            ["owner_id", column],
            ["owner_id", "id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    for table, column, _ in _FOREIGN:
        op.drop_constraint(f"{table}_{column}_fkey", table, type_="foreignkey")
    for table in _ID_INDEXED:
        op.drop_index(f"ix_{table}_id", table_name=table)
    for table, before, _ in _KEYS:
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, before)
    for name, table, columns in _UNIQUE:
        op.drop_constraint(name, table, type_="unique")
        op.create_unique_constraint(name, table, columns)
    for table, column, target in _FOREIGN:
        op.create_foreign_key(
            f"{table}_{column}_fkey", table, target, [column], ["id"], ondelete="CASCADE"
        )
    for table in ("pages", "document_sources"):
        op.drop_column(table, "owner_id")
