import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";

import { ConnectionError, errorFromBody, type GraphQLErrorBody, NotFoundError, PaliAPIError } from "./errors.js";
import {
  CreateCollectionDocument,
  CreateWebhookDocument,
  DeleteCollectionDocument,
  DeleteWebhookDocument,
  DocumentStatusDocument,
  EmbedDocument,
  GetDocumentDocument,
  ListDocumentsDocument,
  ListWebhooksDocument,
  SearchDocument,
  TestWebhookDocument,
  UploadDocumentDocument,
  WebhookDeliveriesDocument,
  type CollectionFieldsFragment,
  type CreateWebhookMutation,
  type DocumentFieldsFragment,
  type EmbedQuery,
  type SearchInput,
  type SearchQuery,
  type WebhookDeliveryFieldsFragment,
  type WebhookDeliveryStatus,
} from "./generated/graphql.js";

export type Collection = CollectionFieldsFragment;
export type Document = DocumentFieldsFragment;
export type SearchResult = SearchQuery["search"]["results"][number];
/** One `embed` result: `tokens` x `dim` little-endian float16, base64 (see `decodeMultiVector`). */
export type MultiVector = EmbedQuery["embed"][number];
/** A webhook endpoint; `secret` is set only in `createWebhook`'s answer, null everywhere else. */
export type Webhook = CreateWebhookMutation["createWebhook"];
/** One event sent to one endpoint, with its attempts (an entry of its delivery log). */
export type WebhookDelivery = WebhookDeliveryFieldsFragment;
export type { WebhookDeliveryStatus };

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

/** What to embed: exactly one of `queries` or `images` (16 items at most by default). */
export interface EmbedOptions {
  queries?: string[];
  images?: (Blob | Uint8Array)[];
}

/** The GraphQL multipart request spec: operations, map, then one part per file. */
function multipart(document: DocumentNode, variables: unknown, files: Record<string, [Blob | Uint8Array, string]>): FormData {
  const form = new FormData();
  form.set("operations", JSON.stringify({ query: print(document), variables }));
  form.set("map", JSON.stringify(Object.fromEntries(Object.keys(files).map((key, i) => [i, [key]]))));
  Object.values(files).forEach(([file, name], i) => {
    form.set(String(i), file instanceof Blob ? file : new Blob([file.slice()]), name);
  });
  return form;
}

// A non-simple header, so browsers preflight multipart requests (CSRF protection).
const PREFLIGHT = { "Apollo-Require-Preflight": "true" };

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
    const form = multipart(UploadDocumentDocument, { input }, { "variables.input.file": [options.file, options.name] });
    return (await this.send<{ uploadDocument: Document }>(form, PREFLIGHT)).uploadDocument;
  }

  /** The best pages for a text query (or `imageBase64`), best first. */
  async search(options: SearchOptions): Promise<SearchResult[]> {
    return (await this.request(SearchDocument, { input: options })).search.results;
  }

  /**
   * The model's multi-vectors for text queries or images, in order: the vectors `search`
   * scores with, for your own vector store (`decodeMultiVector` turns one into numbers).
   * Each item takes one token of the search rate limit.
   */
  async embed(options: EmbedOptions): Promise<MultiVector[]> {
    const images = options.images;
    if (images === undefined) {
      return (await this.request(EmbedDocument, { input: { queries: options.queries } })).embed;
    }
    const input = { queries: options.queries, images: images.map(() => null) };
    const files = Object.fromEntries(
      images.map((image, i) => [`variables.input.images.${i}`, [image, `image-${i}`] as [Blob | Uint8Array, string]]),
    );
    return (await this.send<EmbedQuery>(multipart(EmbedDocument, { input }, files), PREFLIGHT)).embed;
  }

  /**
   * Register an endpoint that gets a signed POST per event (`document.ready`, ...). The answer's
   * `secret` (yours, or a generated `whsec_...`) is the only time the signing secret is shown:
   * keep it to verify deliveries with. A URL that is not http(s) or leads to a non-public
   * address, or an unknown event, throws `BadUserInputError`.
   */
  async createWebhook(url: string, events: string[], secret?: string): Promise<Webhook> {
    return (await this.request(CreateWebhookDocument, { input: { url, events, secret } })).createWebhook;
  }

  /** Every webhook endpoint, oldest first, fetched `pageSize` at a time (`secret` is null). */
  async *webhooks(pageSize = 50): AsyncGenerator<Webhook> {
    let after: string | null | undefined;
    for (;;) {
      const { webhooks } = await this.request(ListWebhooksDocument, { first: pageSize, after });
      for (const edge of webhooks.edges) yield edge.node;
      if (!webhooks.pageInfo.hasNextPage) return;
      after = webhooks.pageInfo.endCursor;
    }
  }

  /** Delete an endpoint and its delivery log; deliveries still queued are dropped. */
  async deleteWebhook(id: string): Promise<boolean> {
    return (await this.request(DeleteWebhookDocument, { id })).deleteWebhook;
  }

  /** Queue a `webhook.test` event to one endpoint; follow it in `webhookDeliveries`. */
  async testWebhook(id: string): Promise<boolean> {
    return (await this.request(TestWebhookDocument, { id })).testWebhook;
  }

  /**
   * One endpoint's delivery log, oldest first, fetched `pageSize` at a time: each event with
   * its `status` (PENDING, SUCCEEDED or FAILED), `attempts`, `lastError` and `lastStatusCode`.
   * Throws `NotFoundError` if there is no such webhook (or it is another user's).
   */
  async *webhookDeliveries(id: string, pageSize = 50): AsyncGenerator<WebhookDelivery> {
    let after: string | null | undefined;
    for (;;) {
      const { node } = await this.request(WebhookDeliveriesDocument, { id, first: pageSize, after });
      if (!node || !("deliveries" in node)) throw new NotFoundError(`no webhook with id ${id}`, "NOT_FOUND");
      for (const edge of node.deliveries.edges) yield edge.node;
      if (!node.deliveries.pageInfo.hasNextPage) return;
      after = node.deliveries.pageInfo.endCursor;
    }
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
