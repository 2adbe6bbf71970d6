import { graphql, type Collection } from "@paliapi/client";
import { useCallback, useEffect, useState, type FormEvent } from "react";

import { Documents } from "./Documents";
import type { Session } from "./session";

interface Props {
  session: Session;
  version: number;
  onChanged: () => void;
}

/** The user's collections with their metadata; create, delete, and open one. */
export function Collections({ session, version, onChanged }: Props) {
  const [collections, setCollections] = useState<Collection[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [metadata, setMetadata] = useState("{}");
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const data = await session.client.request(graphql.ListCollectionsDocument, { first: 100 });
      setCollections(data.collections.edges.map((edge) => edge.node));
    } catch (caught) {
      setError(String(caught));
    }
  }, [session]);

  useEffect(() => {
    void load();
  }, [load, version]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const parsed = JSON.parse(metadata || "{}") as Record<string, unknown>;
      const created = await session.client.createCollection(name.trim(), parsed);
      setName("");
      setMetadata("{}");
      setSelected(created.name);
      onChanged();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  async function remove(collection: string) {
    if (!window.confirm(`Delete collection ${collection} and all of its documents?`)) return;
    try {
      await session.client.deleteCollection(collection);
      if (selected === collection) setSelected(null);
      onChanged();
    } catch (caught) {
      setError(String(caught));
    }
  }

  return (
    <section aria-labelledby="collections-title" className="panel">
      <h2 id="collections-title">Collections</h2>
      <form onSubmit={create} className="row-form">
        <div>
          <label htmlFor="collection-name">New collection name</label>
          <input id="collection-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="collection-metadata">Metadata (JSON)</label>
          <input id="collection-metadata" value={metadata} onChange={(e) => setMetadata(e.target.value)} />
        </div>
        <button type="submit">Create collection</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="collections">
        {collections.map((collection) => (
          <li key={collection.id} className={collection.name === selected ? "selected" : undefined}>
            <button
              type="button"
              className="link"
              aria-pressed={collection.name === selected}
              onClick={() => setSelected(collection.name)}
            >
              {collection.name}
            </button>
            <span className="muted">
              {collection.documentCount} documents · {collection.pageCount} pages
            </span>
            <code className="metadata">{JSON.stringify(collection.metadata)}</code>
            <button type="button" onClick={() => void remove(collection.name)} aria-label={`Delete collection ${collection.name}`}>
              Delete
            </button>
          </li>
        ))}
        {collections.length === 0 && <li className="muted">No collections yet: create one above.</li>}
      </ul>
      {selected && <Documents session={session} collection={selected} version={version} onChanged={onChanged} />}
    </section>
  );
}
