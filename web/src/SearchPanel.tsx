import { graphql } from "@paliapi/client";
import { useEffect, useState, type FormEvent } from "react";

import { SearchPagesDocument, type Hit, type Mode, type SearchVariables } from "./operations";
import { apiLink, type Session } from "./session";

export interface Opened {
  hit: Hit;
  input: SearchVariables["input"];
}

function parseFilter(text: string, label: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${label} is not valid JSON.`);
  }
}

/** Search with mode and filters; results as a grid of page thumbnails. */
export function SearchPanel({ session, version, onOpen }: { session: Session; version: number; onOpen: (opened: Opened) => void }) {
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<Mode>("VISUAL");
  const [collection, setCollection] = useState("");
  const [topK, setTopK] = useState(6);
  const [collectionFilter, setCollectionFilter] = useState("");
  const [documentFilter, setDocumentFilter] = useState("");
  const [collections, setCollections] = useState<string[]>([]);
  const [results, setResults] = useState<{ hits: Hit[]; input: SearchVariables["input"]; tookMs: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    session.client
      .request(graphql.ListCollectionsDocument, { first: 100 })
      .then((data) => setCollections(data.collections.edges.map((edge) => edge.node.name)))
      .catch(() => setCollections([]));
  }, [session, version]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const input: SearchVariables["input"] = {
        query,
        mode,
        topK,
        collectionName: collection || null,
        collectionFilter: parseFilter(collectionFilter, "The collection filter"),
        documentFilter: parseFilter(documentFilter, "The document filter"),
      };
      const data = await session.client.request(SearchPagesDocument, { input });
      setResults({ hits: data.search.results, input, tookMs: data.search.tookMs });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="search-title" className="panel">
      <h2 id="search-title">Search</h2>
      <form onSubmit={submit} className="search-form" role="search">
        <div className="wide">
          <label htmlFor="search-query">Query</label>
          <input id="search-query" type="search" required value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div>
          <label htmlFor="search-mode">Mode</label>
          <select id="search-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <option value="VISUAL">Visual</option>
            <option value="TEXT">Text</option>
            <option value="HYBRID">Hybrid</option>
          </select>
        </div>
        <div>
          <label htmlFor="search-collection">Collection</label>
          <select id="search-collection" value={collection} onChange={(e) => setCollection(e.target.value)}>
            <option value="">All collections</option>
            {collections.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="search-topk">Results</label>
          <input id="search-topk" type="number" min={1} max={100} value={topK} onChange={(e) => setTopK(Number(e.target.value))} />
        </div>
        <div>
          <label htmlFor="collection-filter">Collection filter (JSON)</label>
          <input id="collection-filter" placeholder='{"team": "a"}' value={collectionFilter} onChange={(e) => setCollectionFilter(e.target.value)} />
        </div>
        <div>
          <label htmlFor="document-filter">Document filter (JSON)</label>
          <input id="document-filter" placeholder='{"year": {"$gte": 2020}}' value={documentFilter} onChange={(e) => setDocumentFilter(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Searching…" : "Search"}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {results && (
        <>
          <p className="muted" aria-live="polite">
            {results.hits.length} results in {results.tookMs.toFixed(1)} ms
          </p>
          <ol className="results" aria-label="Results">
            {results.hits.map((hit) => (
              <li key={hit.page.id}>
                <button type="button" className="result" onClick={() => onOpen({ hit, input: results.input })}>
                  <img
                    src={apiLink(session, hit.page.thumbnail)}
                    alt={`Page ${hit.page.number} of ${hit.document.name}`}
                    width={160}
                    height={Math.round((160 * hit.page.height) / Math.max(hit.page.width, 1))}
                    loading="lazy"
                  />
                  <span className="caption">
                    <strong>{hit.document.name}</strong> · page {hit.page.number}
                    <br />
                    <span className="muted">{hit.collection.name}</span> · score {hit.score.toFixed(3)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
