"""The tenant tables can be distributed by owner (Citus) as they are: the migrated schema keeps
the owner id in every key that Citus requires it in."""

from __future__ import annotations

from sqlalchemy import text

from app.db.engine import Database

# Sharded by owner, co-located; `users` would be a reference table, the queue stays local.
DISTRIBUTED = {
    "collections",
    "documents",
    "pages",
    "page_embeddings",
    "page_centroids",
    "page_keys",
    "document_sources",
    "webhooks",
    "webhook_deliveries",
}
_CONSTRAINTS = text(
    """
    SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text AS contype,
           c.confrelid::regclass::text AS target,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 ORDER BY k.i) AS cols,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                 ORDER BY k.i) AS target_cols
    FROM pg_constraint c
    WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
    """
)


async def test_every_key_of_a_tenant_table_leads_with_the_owner(db: Database) -> None:
    async with db.session() as session:
        rows = (await session.execute(_CONSTRAINTS)).all()
        owned = set(
            (
                await session.execute(
                    text(
                        "SELECT table_name FROM information_schema.columns"
                        " WHERE table_schema = 'public' AND column_name = 'owner_id'"
                    )
                )
            ).scalars()
        )
    assert owned >= DISTRIBUTED  # every hot table carries the owner
    checked = 0
    for row in rows:
        if row.tbl not in DISTRIBUTED:
            continue
        if row.contype in ("p", "u"):
            # Citus: a primary key or unique constraint must contain the distribution column.
            assert row.cols[0] == "owner_id", f"{row.conname} on {row.tbl}: {row.cols}"
            checked += 1
        elif row.target in DISTRIBUTED:
            # Between distributed tables, a foreign key must join owner to owner (co-located).
            pairs = dict(zip(row.cols, row.target_cols, strict=True))
            assert pairs.get("owner_id") == "owner_id", f"{row.conname}: {pairs}"
            checked += 1
        else:  # to a reference table: `users`
            assert row.target == "users", f"{row.conname} references {row.target}"
    # 9 primary keys, 4 unique constraints, 11 foreign keys between tenant tables.
    assert checked == 24
