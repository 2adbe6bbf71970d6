import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";

import { ConnectionError, errorFromBody, type GraphQLErrorBody, PaliAPIError } from "./errors.js";
import {
  CreateCollectionDocument,
  DeleteCollectionDocument,
  DocumentStatusDocument,
  GetDocumentDocument,
  ListDocumentsDocument,
  SearchDocument,
  UploadDocumentDocument,
  type CollectionFieldsFragment,
  type DocumentFieldsFragment,
  type SearchInput,
  type SearchQuery,
} from "./generated/graphql.js";

export type Collection = CollectionFieldsFragment;
export type Document = DocumentFieldsFragment;
export type SearchResult = SearchQuery["search"]["results"][number];

export interface PaliAPIOptions {
  /** The server, e.g. `http://127.0.0.1:8000` (`/graphql` is added when missing). */
  url: string;
  /** An API token from `paliapi users create`. */
  token: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /** A WebSocket constructor for subscriptions; the global one, else the `ws` package. */
  webSocketImpl?: unknown;
}

export interface UploadOptions {
  collection: string;
  name: string;
  /** The file's bytes; or give `url` for the server to fetch. */
  file?: Blob | Uint8Array;
  url?: string;
  metadata?: Record<string, unknown>;
  /** Resolve only once the document is READY or FAILED (default true). */
  wait?: boolean;
  overwrite?: boolean;
}

export type SearchOptions = Omit<SearchInput, "image">;

/** A PaliAPI server, from a browser or Node >= 20. */
export class PaliAPI {
  readonly endpoint: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly webSocketImpl: unknown;

  constructor(options: PaliAPIOptions) {
    const base = options.url.replace(/\/+$/, "");
    this.endpoint = base.endsWith("/graphql") ? base : `${base}/graphql`;
    this.token = options.token;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.webSocketImpl = options.webSocketImpl;
  }

  /** Run any typed operation (the generated `*Document`s, or your own). */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    return this.send(
      JSON.stringify({ query: print(document), variables }),
      { "Content-Type": "application/json" },
    );
  }

  async createCollection(name: string, metadata?: Record<string, unknown>): Promise<Collection> {
    const data = await this.request(CreateCollectionDocument, { input: { name, metadata } });
    return data.createCollection;
  }

  async deleteCollection(name: string): Promise<boolean> {
    return (await this.request(DeleteCollectionDocument, { name })).deleteCollection;
  }

  async document(collection: string, name: string): Promise<Document | null> {
    return (await this.request(GetDocumentDocument, { collectionName: collection, name })).document ?? null;
  }

  /** Every document of a collection (matching `filter`), fetched `pageSize` at a time. */
  async *documents(collection?: string, filter?: unknown, pageSize = 50): AsyncGenerator<Document> {
    let after: string | null | undefined;
    for (;;) {
      const { documents } = await this.request(ListDocumentsDocument, {
        collectionName: collection, filter, first: pageSize, after,
      });
      for (const edge of documents.edges) yield edge.node;
      if (!documents.pageInfo.hasNextPage) return;
      after = documents.pageInfo.endCursor;
    }
  }

  /** Upload a PDF or image: a multipart request for `file`, or a URL the server fetches. */
  async upload(options: UploadOptions): Promise<Document> {
    const input = {
      collectionName: options.collection,
      name: options.name,
      metadata: options.metadata,
      wait: options.wait ?? true,
      overwrite: options.overwrite ?? false,
      url: options.url,
      file: null,
    };
    if (options.file === undefined) {
      return (await this.request(UploadDocumentDocument, { input })).uploadDocument;
    }
    // The GraphQL multipart request spec: operations, map, then the file parts.
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: print(UploadDocumentDocument), variables: { input } }));
    form.set("map", JSON.stringify({ 0: ["variables.input.file"] }));
    const blob = options.file instanceof Blob ? options.file : new Blob([options.file.slice()]);
    form.set("0", blob, options.name);
    const data = await this.send<{ uploadDocument: Document }>(form, {
      // A non-simple header, so browsers preflight it (CSRF protection).
      "Apollo-Require-Preflight": "true",
    });
    return data.uploadDocument;
  }

  /** The best pages for a text query (or `imageBase64`), best first. */
  async search(options: SearchOptions): Promise<SearchResult[]> {
    return (await this.request(SearchDocument, { input: options })).search.results;
  }

  /** Status updates of one document over the `documentStatus` subscription, until READY or FAILED. */
  async *watch(collection: string, name: string): AsyncGenerator<Document> {
    const client = await this.subscriptions();
    try {
      const updates = client.iterate({
        query: print(DocumentStatusDocument),
        variables: { collectionName: collection, name },
      });
      for await (const update of updates) {
        if (update.errors?.length) throw errorFromBody(update.errors[0] as GraphQLErrorBody);
        const document = (update.data as { documentStatus: Document } | null | undefined)?.documentStatus;
        if (document) yield document;
      }
    } catch (error) {
      if (error instanceof PaliAPIError) throw error;
      if (Array.isArray(error) && error.length) throw errorFromBody(error[0] as GraphQLErrorBody);
      throw new ConnectionError(String((error as { reason?: string }).reason ?? error), "CONNECTION_ERROR");
    } finally {
      await client.dispose();
    }
  }

  private async subscriptions(): Promise<WsClient> {
    const impl = this.webSocketImpl ?? globalThis.WebSocket ?? (await import("ws")).WebSocket;
    return createClient({
      url: this.endpoint.replace(/^http/, "ws"),
      webSocketImpl: impl,
      connectionParams: { Authorization: `Bearer ${this.token}` },
      lazy: true,
      retryAttempts: 0,
    });
  }

  private async send<T>(body: BodyInit, headers: Record<string, string>): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: "POST",
        body,
        headers: { ...headers, Authorization: `Bearer ${this.token}` },
      });
    } catch (error) {
      throw new ConnectionError(`could not reach ${this.endpoint}: ${String(error)}`, "CONNECTION_ERROR");
    }
    let payload: { data?: T | null; errors?: GraphQLErrorBody[] };
    try {
      payload = (await response.json()) as typeof payload;
    } catch {
      throw new ConnectionError(`${this.endpoint} answered HTTP ${response.status}, not GraphQL`, "CONNECTION_ERROR");
    }
    if (payload.errors?.length) throw errorFromBody(payload.errors[0]);
    if (payload.data == null) throw new ConnectionError(`${this.endpoint} answered no data`, "CONNECTION_ERROR");
    return payload.data;
  }
}
