import { graphql, type Document } from "@paliapi/client";
import { useCallback, useEffect, useState } from "react";

import type { Session } from "./session";
import { Upload } from "./Upload";

interface Props {
  session: Session;
  collection: string;
  version: number;
  onChanged: () => void;
}

/** One collection's documents: status, delete, retry, and the upload drop zone. */
export function Documents({ session, collection, version, onChanged }: Props) {
  const [documents, setDocuments] = useState<Document[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const data = await session.client.request(graphql.ListDocumentsDocument, {
        collectionName: collection,
        first: 100,
      });
      setDocuments(data.documents.edges.map((edge) => edge.node));
    } catch (caught) {
      setError(String(caught));
    }
  }, [session, collection]);

  useEffect(() => {
    void load();
  }, [load, version]);

  async function act(action: "delete" | "retry", name: string) {
    setError(null);
    try {
      if (action === "delete") {
        if (!window.confirm(`Delete ${name}?`)) return;
        await session.client.request(graphql.DeleteDocumentDocument, { collectionName: collection, name });
      } else {
        await session.client.request(graphql.RetryDocumentDocument, { collectionName: collection, name });
      }
      onChanged();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <section aria-labelledby="documents-title" className="documents">
      <h3 id="documents-title">Documents in {collection}</h3>
      <Upload session={session} collection={collection} onChanged={onChanged} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <caption className="visually-hidden">Documents in {collection}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Pages</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((document) => (
            <tr key={document.id}>
              <td>{document.name}</td>
              <td>
                {document.status}
                {document.error && <span className="error"> {document.error}</span>}
              </td>
              <td>{document.pageCount}</td>
              <td className="actions">
                {document.status === "FAILED" && (
                  <button type="button" onClick={() => void act("retry", document.name)} aria-label={`Retry ${document.name}`}>
                    Retry
                  </button>
                )}
                <button type="button" onClick={() => void act("delete", document.name)} aria-label={`Delete ${document.name}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {documents.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No documents yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
