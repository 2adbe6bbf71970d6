"""search index versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 00:50:00

Each API process keeps an in-memory first-stage index per owner (page centroids). This
table tells it, in one cheap read, whether the owner's embeddings changed since it loaded:
a statement-level trigger bumps the owner's version on every insert, update or delete.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = """
CREATE FUNCTION paliapi_bump_index_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE search_index_versions SET version = nextval('search_index_version_seq')
        WHERE owner_id IN (SELECT DISTINCT owner_id FROM old_rows);
    ELSE  -- INSERT or UPDATE
        INSERT INTO search_index_versions (owner_id, version)
        SELECT owner_id, nextval('search_index_version_seq')
        FROM (SELECT DISTINCT owner_id FROM new_rows) AS owners
        ON CONFLICT (owner_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.execute("CREATE SEQUENCE search_index_version_seq")
    op.execute(
        "CREATE TABLE search_index_versions ("
        " owner_id bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
        " version bigint NOT NULL)"
    )
    op.execute(BUMP)
    op.execute(
        "CREATE TRIGGER page_embeddings_insert AFTER INSERT ON page_embeddings"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION paliapi_bump_index_version()"
    )
    op.execute(
        "CREATE TRIGGER page_embeddings_update AFTER UPDATE ON page_embeddings"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION paliapi_bump_index_version()"
    )
    op.execute(
        "CREATE TRIGGER page_embeddings_delete AFTER DELETE ON page_embeddings"
        " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION paliapi_bump_index_version()"
    )


def downgrade() -> None:
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER page_embeddings_{name} ON page_embeddings")
    op.execute("DROP FUNCTION paliapi_bump_index_version()")
    op.execute("DROP TABLE search_index_versions")
    op.execute("DROP SEQUENCE search_index_version_seq")
