"""ingestion storage and job queue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:11:30.846713
"""

from collections.abc import Sequence

import pgvector.sqlalchemy  # noqa: F401
import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment
from sqlalchemy.dialects import postgresql
from sqlalchemy.util import await_

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run_script(sql: str) -> None:
    """Run a multi-statement script: asyncpg's simple protocol, not a prepared statement."""
    driver = op.get_bind().connection.driver_connection
    assert driver is not None  # an open connection has one
    await_(driver.execute(sql))


def upgrade() -> None:
    # The ingestion job queue (pgqueuer's own schema, pinned with the package).
    _run_script(QueryBuilderEnvironment().build_install_query())
    op.create_table('document_sources',
    sa.Column('document_id', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id')
    )
    # The float16 column of 0001 becomes int8 (same name), plus centroids.
    op.drop_column('page_embeddings', 'vectors')
    op.add_column('page_embeddings', sa.Column('vectors', sa.LargeBinary(), nullable=False))
    op.add_column('page_embeddings', sa.Column('centroids', sa.LargeBinary(), nullable=False))


def downgrade() -> None:
    # The int8 form cannot be turned back into the old float16 column: embeddings are dropped.
    op.execute("DELETE FROM page_embeddings")
    op.drop_column('page_embeddings', 'centroids')
    op.drop_table('document_sources')
    _run_script(QueryBuilderEnvironment().build_uninstall_query())
