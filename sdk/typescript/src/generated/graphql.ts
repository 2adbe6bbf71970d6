/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Date with time (isoformat) */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf). */
  JSON: { input: unknown; output: unknown; }
  /** Represents a file upload. */
  Upload: { input: File | Blob; output: File | Blob; }
};

/** A named set of your documents, all embedded with one model; searches run over collections. */
export type Collection = Node & {
  __typename?: 'Collection';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** How many documents it holds, whatever their status. */
  documentCount: Scalars['Int']['output'];
  /** Its documents, oldest first. */
  documents: DocumentConnection;
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. */
  metadata: Scalars['JSON']['output'];
  /** The embedding model its pages use, fixed at creation (the server's EMBEDDINGS_MODEL). A server with another model skips it in searches, and a search naming it is a CONFLICT. */
  model: Scalars['String']['output'];
  /** Its name, unique among your collections (1 to 200 characters). */
  name: Scalars['String']['output'];
  /** How many pages its documents have in all. */
  pageCount: Scalars['Int']['output'];
  /** Hierarchical token pooling of its pages, fixed at creation: each page keeps about 1/poolFactor of its vectors (1 = no pooling). Less storage and a cheaper rerank, for a small loss of recall; pooled pages have no similarity map. */
  poolFactor: Scalars['Int']['output'];
  /** When its name or metadata last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/** A named set of your documents, all embedded with one model; searches run over collections. */
export type CollectionDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSON']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A slice of your collections (a Relay connection). */
export type CollectionConnection = {
  __typename?: 'CollectionConnection';
  /** Contains the nodes in this connection */
  edges: Array<CollectionEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items match in all, across every page of this connection. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type CollectionEdge = {
  __typename?: 'CollectionEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Collection;
};

/** A new collection. A name you already use is a CONFLICT. */
export type CreateCollectionInput = {
  /** Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. Default `{}`. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** The embedding model; omit it for the server's own. Any other is BAD_USER_INPUT (a server embeds with one model). */
  model?: InputMaybe<Scalars['String']['input']>;
  /** Its name: 1 to 200 characters, no leading or trailing spaces, no control characters (else BAD_USER_INPUT). */
  name: Scalars['String']['input'];
  /** Pool each page's vectors by this factor (hierarchical clustering of its tokens, as colpali-engine's token pooling): 1 to 16, default 1 (none); 3 stores about a third. Fixed for the collection's life. */
  poolFactor?: InputMaybe<Scalars['Int']['input']>;
};

/** A new webhook endpoint. */
export type CreateWebhookInput = {
  /** The events to receive, at least one of `document.ready`, `document.failed`, `document.deleted`, `collection.deleted`; others: BAD_USER_INPUT. */
  events: Array<Scalars['String']['input']>;
  /** Your own signing secret: `whsec_` and the base64 of 24 to 64 random bytes. Omitted: one is generated, and returned once as `Webhook.secret`. */
  secret?: InputMaybe<Scalars['String']['input']>;
  /** Where to POST events: an http(s) URL whose host resolves to public addresses only, on an allowed port (80 and 443 by default: PALIAPI_URL_ALLOWED_PORTS), checked again at every delivery; else BAD_USER_INPUT. */
  url: Scalars['String']['input'];
};

/** An uploaded file (a PDF, an image, an Office or text document, or a web page) in a collection; ingestion renders it into pages and embeds them. */
export type Document = Node & {
  __typename?: 'Document';
  /** The collection it belongs to. */
  collection: Collection;
  /** The SHA-256 of the uploaded file, in hex. */
  contentSha256?: Maybe<Scalars['String']['output']>;
  /** When it was uploaded. */
  createdAt: Scalars['DateTime']['output'];
  /** Why ingestion failed, and what to do about it; null unless FAILED. */
  error?: Maybe<Scalars['String']['output']>;
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. */
  metadata: Scalars['JSON']['output'];
  /** The file's media type, judged by its bytes: e.g. `application/pdf`, `image/png`, `text/html`, or the Office type of a DOCX. */
  mimeType?: Maybe<Scalars['String']['output']>;
  /** Its name, unique within its collection (1 to 300 characters). */
  name: Scalars['String']['output'];
  /** How many pages it has: 0 until rendered, and 0 once FAILED. */
  pageCount: Scalars['Int']['output'];
  /** Its pages, in order; empty until READY. */
  pages: PageConnection;
  /** Ingestion progress from 0 to 1 (1 once READY); reset to 0 by a retry. */
  progress: Scalars['Float']['output'];
  /** The uploaded file's size, in bytes. */
  sizeBytes?: Maybe<Scalars['Int']['output']>;
  /** The URL it was fetched from; null unless uploaded with `url`. */
  sourceUrl?: Maybe<Scalars['String']['output']>;
  /** Where it is in ingestion; only READY documents are searched. */
  status: DocumentStatus;
  /** When it last changed (status, progress, name, metadata or collection). */
  updatedAt: Scalars['DateTime']['output'];
};


/** An uploaded file (a PDF, an image, an Office or text document, or a web page) in a collection; ingestion renders it into pages and embeds them. */
export type DocumentPagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A slice of your documents (a Relay connection). */
export type DocumentConnection = {
  __typename?: 'DocumentConnection';
  /** Contains the nodes in this connection */
  edges: Array<DocumentEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items match in all, across every page of this connection. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type DocumentEdge = {
  __typename?: 'DocumentEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Document;
};

/** Where a document is in ingestion: PENDING, PROCESSING, then READY or FAILED. */
export type DocumentStatus =
  /** Ingestion failed; `error` says why, and `retryDocument` queues it again. */
  | 'FAILED'
  /** Stored and queued, waiting for a worker. */
  | 'PENDING'
  /** Being rendered into pages and embedded; `progress` tells how far. */
  | 'PROCESSING'
  /** Every page is rendered and embedded: the document is searchable. */
  | 'READY';

/** What to embed: exactly one of `queries` or `images`, with 1 to 16 items by default (PALIAPI_EMBED_MAX_BATCH); anything else is BAD_USER_INPUT. */
export type EmbedInput = {
  /** Images (multipart uploads), prepared and embedded as `search` embeds an image query, which is how page images are embedded too. */
  images?: InputMaybe<Array<Scalars['Upload']['input']>>;
  /** Text queries, embedded as `search` embeds a text query (same vectors). */
  queries?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One input's multi-vector: `tokens` vectors of `dim` numbers, as little-endian float16, row-major (token after token), base64-encoded. Score a page by MaxSim: for each query vector, its best dot product over the page's vectors, summed. */
export type MultiVector = {
  __typename?: 'MultiVector';
  /** tokens x dim little-endian float16 numbers, row-major, base64-encoded. */
  base64: Scalars['String']['output'];
  /** The length of each vector (columns). */
  dim: Scalars['Int']['output'];
  /** The number format: always "float16". */
  dtype: Scalars['String']['output'];
  /** How many vectors (rows). */
  tokens: Scalars['Int']['output'];
};

/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type Mutation = {
  __typename?: 'Mutation';
  /** Create a collection. */
  createCollection: Collection;
  /** Register an endpoint for events; the answer's `secret` is the only time the signing secret is shown. A URL that is not http(s) or leads to a non-public address, or an unknown event, is BAD_USER_INPUT. */
  createWebhook: Webhook;
  /** Delete a collection with its documents, pages and embeddings; true once done, NOT_FOUND if missing. */
  deleteCollection: Scalars['Boolean']['output'];
  /** Delete a document with its pages and embeddings; true once done, NOT_FOUND if missing. */
  deleteDocument: Scalars['Boolean']['output'];
  /** Delete an endpoint and its delivery log; deliveries still queued are dropped. True once done, NOT_FOUND if missing. */
  deleteWebhook: Scalars['Boolean']['output'];
  /** Queue a FAILED (or stuck) document again, as PENDING with progress 0; a READY one is returned unchanged. */
  retryDocument: Document;
  /** Queue a `webhook.test` event to this endpoint (whatever events it receives); follow it in `deliveries`. True once queued, NOT_FOUND if missing. */
  testWebhook: Scalars['Boolean']['output'];
  /** Rename a collection and/or replace its metadata; NOT_FOUND if missing. */
  updateCollection: Collection;
  /** Rename a document, replace its metadata and/or move it to another collection; NOT_FOUND if missing. */
  updateDocument: Document;
  /** Upload a document: it is checked, stored as PENDING and queued for ingestion (follow it with `documentStatus`, or set `wait`). Rate-limited per user (RATE_LIMITED, with `retryAfter` in seconds). */
  uploadDocument: Document;
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationCreateCollectionArgs = {
  input: CreateCollectionInput;
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationDeleteCollectionArgs = {
  name: Scalars['String']['input'];
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationDeleteDocumentArgs = {
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationRetryDocumentArgs = {
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationTestWebhookArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationUpdateCollectionArgs = {
  input: UpdateCollectionInput;
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationUpdateDocumentArgs = {
  input: UpdateDocumentInput;
};


/** Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and acts only on that user's objects (another user's is NOT_FOUND). */
export type MutationUploadDocumentArgs = {
  input: UploadDocumentInput;
};

/** An object with a Globally Unique ID */
export type Node = {
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
};

/** One page of a document, rendered as an image; search results point at pages. */
export type Page = Node & {
  __typename?: 'Page';
  /** The document this page belongs to. */
  document: Document;
  /** Height of the page image, in pixels. */
  height: Scalars['Int']['output'];
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** The page image, base64-encoded (prefer `imageUrl`). */
  imageBase64?: Maybe<Scalars['String']['output']>;
  /** A signed link to the page image that a browser loads as `<img src>` with no header, valid for at least an hour (PALIAPI_IMAGE_URL_TTL_S), under PALIAPI_PUBLIC_URL (relative when unset). Links to one image are the same string for a while, so caches hit. An expired or altered link answers 403: query this field again. */
  imageUrl: Scalars['String']['output'];
  /** 1-based page number. */
  number: Scalars['Int']['output'];
  /** The page's text layer, as extracted from a PDF (TEXT and HYBRID searches match it); null for images and pages without one. */
  text?: Maybe<Scalars['String']['output']>;
  /** Width of the page image, in pixels. */
  width: Scalars['Int']['output'];
};


/** One page of a document, rendered as an image; search results point at pages. */
export type PageImageUrlArgs = {
  width?: InputMaybe<Scalars['Int']['input']>;
};

/** A slice of a document's pages (a Relay connection). */
export type PageConnection = {
  __typename?: 'PageConnection';
  /** Contains the nodes in this connection */
  edges: Array<PageEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items match in all, across every page of this connection. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type PageEdge = {
  __typename?: 'PageEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Page;
};

/** Information to aid in pagination. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** When paginating forwards, the cursor to continue. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** When paginating forwards, are there more items? */
  hasNextPage: Scalars['Boolean']['output'];
  /** When paginating backwards, are there more items? */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** When paginating backwards, the cursor to continue. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type Query = {
  __typename?: 'Query';
  /** One of your collections by name; null when you have none by that name. */
  collection?: Maybe<Collection>;
  /** Your collections, oldest first. */
  collections: CollectionConnection;
  /** One of your documents by collection and name; null when there is none (a missing collection too). */
  document?: Maybe<Document>;
  /** Your documents, oldest first: in one collection, or in all of them. */
  documents: DocumentConnection;
  /** The model's multi-vectors for text queries or images, one per item in order: for your own vector store. Each item takes one token of the search rate limit (RATE_LIMITED, with `retryAfter`); EMBEDDINGS_UNAVAILABLE when the model cannot embed. */
  embed: Array<MultiVector>;
  /** The user whose token authenticated this request. */
  me: User;
  /** Any of your objects by its global `id`; null when there is none (or it is another user's). A malformed id is BAD_USER_INPUT. */
  node?: Maybe<Node>;
  /** The pages that best match a text or image query, in your READY documents. Rate-limited per user (RATE_LIMITED, with `retryAfter` in seconds); EMBEDDINGS_UNAVAILABLE when the model cannot embed the query. */
  search: SearchResponse;
  /** Your webhook endpoints, oldest first. */
  webhooks: WebhookConnection;
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryCollectionArgs = {
  name: Scalars['String']['input'];
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryCollectionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSON']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryDocumentArgs = {
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  collectionName?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSON']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryEmbedArgs = {
  input: EmbedInput;
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QuerySearchArgs = {
  input: SearchInput;
};


/** Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and sees only that user's objects. */
export type QueryWebhooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A search. VISUAL takes exactly one of `query`, `image` or `imageBase64`; TEXT and HYBRID need `query`. Anything else is BAD_USER_INPUT. */
export type SearchInput = {
  /** Search only collections whose metadata match. A metadata filter, a JSON object: plain keys match by equality, dotted keys reach nested values (`"author.name"`), and the operators are `$eq $ne $gt $gte $lt $lte $in $nin $exists $contains $and $or $not`, e.g. `{"year": {"$gte": 2020}}`. A wrong filter is BAD_USER_INPUT naming the offending path. */
  collectionFilter?: InputMaybe<Scalars['JSON']['input']>;
  /** Search this collection only (NOT_FOUND if you have none by that name, CONFLICT if it is embedded with another model than the server's). Omitted: all of your collections that the server's model embedded. */
  collectionName?: InputMaybe<Scalars['String']['input']>;
  /** Search only documents whose metadata match. A metadata filter, a JSON object: plain keys match by equality, dotted keys reach nested values (`"author.name"`), and the operators are `$eq $ne $gt $gte $lt $lte $in $nin $exists $contains $and $or $not`, e.g. `{"year": {"$gte": 2020}}`. A wrong filter is BAD_USER_INPUT naming the offending path. */
  documentFilter?: InputMaybe<Scalars['JSON']['input']>;
  /** true: score every page in scope by exact MaxSim, skipping the approximate first stage (for evaluations; slower). Over 10,000 pages in scope (PALIAPI_MAX_EXACT_CANDIDATES) is BAD_USER_INPUT, except for admins. */
  exact?: Scalars['Boolean']['input'];
  /** An image query, as a multipart upload (not together with `imageBase64`). */
  image?: InputMaybe<Scalars['Upload']['input']>;
  /** An image query, base64-encoded (strict: no stray characters). */
  imageBase64?: InputMaybe<Scalars['String']['input']>;
  /** How to match pages; VISUAL by default. */
  mode?: SearchMode;
  /** A text query. */
  query?: InputMaybe<Scalars['String']['input']>;
  /** How many results: 1 to 100 (PALIAPI_SEARCH_MAX_TOP_K), 3 by default; out of range is BAD_USER_INPUT. */
  topK?: Scalars['Int']['input'];
};

/** How a search matches pages. */
export type SearchMode =
  /** VISUAL and TEXT fused by reciprocal rank; needs `query`. */
  | 'HYBRID'
  /** Postgres full-text search (English) over the pages' extracted text; needs `query`. */
  | 'TEXT'
  /** Late interaction (MaxSim) between the query's multi-vector and each page image's: a text or an image query, no OCR needed. */
  | 'VISUAL';

/** The answer to a search. */
export type SearchResponse = {
  __typename?: 'SearchResponse';
  /** The text query, as sent; null for an image query. */
  query?: Maybe<Scalars['String']['output']>;
  /** At most `topK` results, best first; empty when nothing in scope matches. */
  results: Array<SearchResult>;
  /** Search time in milliseconds, embedding the query excluded. */
  tookMs: Scalars['Float']['output'];
};

/** One matching page, with its document and collection. */
export type SearchResult = {
  __typename?: 'SearchResult';
  /** The collection of that document. */
  collection: Collection;
  /** The document of that page. */
  document: Document;
  /** The page that matched. */
  page: Page;
  /** 1-based position in the results, best first. */
  rank: Scalars['Int']['output'];
  /** Higher is better; comparable only within one search and mode. VISUAL: the MaxSim score; TEXT: the full-text rank; HYBRID: the reciprocal-rank-fusion score. */
  score: Scalars['Float']['output'];
  /** Why this page matched, for a VISUAL search with a text `query`: computed from the stored vectors only when selected. Null for TEXT and HYBRID searches, image queries, and pages whose model gives no single patch grid (Idefics3-based models on tiled pages, pooled vectors, pages embedded before grids were stored). */
  similarityMap?: Maybe<SimilarityMap>;
};

/** Why a page matched a VISUAL text query: each query token's similarity to each image patch of the page (the interpretability maps of colpali-engine), to draw as a heatmap over the page image. */
export type SimilarityMap = {
  __typename?: 'SimilarityMap';
  /** Columns of the page's patch grid (left to right). */
  columns: Scalars['Int']['output'];
  /** Rows of the page's patch grid, as the model saw the page (top to bottom). */
  rows: Scalars['Int']['output'];
  /** The query's tokens as the model saw them, one per row of `values` (the model's own prefix and padding tokens included; they score too). */
  tokens: Array<Scalars['String']['output']>;
  /** tokens x (rows * columns): row t holds the dot product of query token t with every patch, row-major. A row's maximum is what that token adds to the MaxSim score, when its best match is an image patch. */
  values: Array<Array<Scalars['Float']['output']>>;
};

/** Live updates, over a websocket on `/graphql` (graphql-transport-ws). Send the token in `connection_init`: `{"Authorization": "Bearer <token>"}`. */
export type Subscription = {
  __typename?: 'Subscription';
  /** A document now, then again whenever its status, progress, error or page count changes; it ends once READY or FAILED. NOT_FOUND if missing. */
  documentStatus: Document;
};


/** Live updates, over a websocket on `/graphql` (graphql-transport-ws). Send the token in `connection_init`: `{"Authorization": "Bearer <token>"}`. */
export type SubscriptionDocumentStatusArgs = {
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
};

/** Changes to a collection; omitted fields stay as they are. */
export type UpdateCollectionInput = {
  /** Replaces the metadata whole (no merge). Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** The collection to change, by its current name. */
  name: Scalars['String']['input'];
  /** Rename it (same rules as at creation); a name in use is a CONFLICT. */
  newName?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a document; omitted fields stay as they are. */
export type UpdateDocumentInput = {
  /** The collection the document is in now. The collection's name (yours; another user's is NOT_FOUND). */
  collectionName: Scalars['String']['input'];
  /** Replaces the metadata whole (no merge). Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** The document to change, by its current name. */
  name: Scalars['String']['input'];
  /** Move it to this collection of yours; one embedded with another model is BAD_USER_INPUT, a same-named document there a CONFLICT. */
  newCollectionName?: InputMaybe<Scalars['String']['input']>;
  /** Rename it (same rules as at upload); a name in use is a CONFLICT. */
  newName?: InputMaybe<Scalars['String']['input']>;
};

/** A document to upload: a PDF; a PNG, JPEG, WebP, TIFF, GIF or BMP image; an Office, OpenDocument, RTF, EPUB, XPS, CBZ, FB2, SVG, Markdown or plain-text file (converted to pages by the worker); or an HTML page (a `url` answering `text/html` is rendered as a browser shows it). Types are judged by the bytes; others are UNSUPPORTED_MEDIA_TYPE. At most 100 MiB by default (PALIAPI_MAX_UPLOAD_MB; larger is PAYLOAD_TOO_LARGE). Give exactly one of `file`, `url` or `base64`, else BAD_USER_INPUT. */
export type UploadDocumentInput = {
  /** The file, base64-encoded (strict: no stray characters). */
  base64?: InputMaybe<Scalars['String']['input']>;
  /** The collection to add it to. The collection's name (yours; another user's is NOT_FOUND). */
  collectionName: Scalars['String']['input'];
  /** The file, as a multipart upload (the request needs a non-simple header such as `Apollo-Require-Preflight: true`). */
  file?: InputMaybe<Scalars['Upload']['input']>;
  /** Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. Default `{}`. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Its name: 1 to 300 characters, no leading or trailing spaces, no control characters. A name in use is a CONFLICT unless `overwrite` is true. */
  name: Scalars['String']['input'];
  /** true: replace a document of the same name in the collection (its webhooks get `document.deleted` for the old one). */
  overwrite?: Scalars['Boolean']['input'];
  /** An http(s) URL for the server to fetch the file from: public hosts on ports 80 and 443 by default, within 30 s (PALIAPI_URL_TIMEOUT_S); a refused or failed fetch is BAD_USER_INPUT. */
  url?: InputMaybe<Scalars['String']['input']>;
  /** true: answer once the document is READY or FAILED, or as it is after PALIAPI_WAIT_TIMEOUT_S (600 s by default); false: answer at once, PENDING. */
  wait?: Scalars['Boolean']['input'];
};

/** An account; its bearer token (from `paliapi users`) authenticates requests. */
export type User = Node & {
  __typename?: 'User';
  /** When the account was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** Admins are exempt from the rate limits and from the page cap on `exact: true` searches. */
  isAdmin: Scalars['Boolean']['output'];
  /** The account's name, unique on this server. */
  name: Scalars['String']['output'];
};

/** An endpoint of yours that receives events as signed HTTP POSTs (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with backoff until it answers 2xx. */
export type Webhook = Node & {
  __typename?: 'Webhook';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Its delivery log, oldest first. */
  deliveries: WebhookDeliveryConnection;
  /** The events it receives: of `document.ready`, `document.failed`, `document.deleted`, `collection.deleted`. */
  events: Array<Scalars['String']['output']>;
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** The signing secret (`whsec_...`) to verify deliveries with: shown only in `createWebhook`'s answer, null everywhere else. Keep it then. */
  secret?: Maybe<Scalars['String']['output']>;
  /** Where events are POSTed. */
  url: Scalars['String']['output'];
};


/** An endpoint of yours that receives events as signed HTTP POSTs (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with backoff until it answers 2xx. */
export type WebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A slice of your webhooks (a Relay connection). */
export type WebhookConnection = {
  __typename?: 'WebhookConnection';
  /** Contains the nodes in this connection */
  edges: Array<WebhookEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items match in all, across every page of this connection. */
  totalCount: Scalars['Int']['output'];
};

/** One event sent to one endpoint, with its attempts: the endpoint's delivery log. Every attempt carries the same `webhook-id` header (`eventId`). */
export type WebhookDelivery = Node & {
  __typename?: 'WebhookDelivery';
  /** Attempts started so far (one cut short by a restart counts too). */
  attempts: Scalars['Int']['output'];
  /** When the event happened. */
  createdAt: Scalars['DateTime']['output'];
  /** The `webhook-id` header: one per event, the same on every attempt (and for every endpoint the event went to), so receivers can drop duplicates. */
  eventId: Scalars['String']['output'];
  /** The event: `document.ready`, `document.failed`, `document.deleted`, `collection.deleted`, or `webhook.test` (from `testWebhook`). */
  eventType: Scalars['String']['output'];
  /** The Globally Unique ID of this object */
  id: Scalars['ID']['output'];
  /** Why the last failed attempt failed: the HTTP status and the start of the answer, a network error, or a refused address. Kept after a later success; null when no attempt failed. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The HTTP status of the last answer; null when none came. */
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  /** When the next retry is due; null unless one is waiting. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** The JSON body sent: `type`, `timestamp` (ISO 8601) and `data`. */
  payload: Scalars['JSON']['output'];
  /** PENDING until the endpoint accepts it (SUCCEEDED) or attempts run out. */
  status: WebhookDeliveryStatus;
  /** When the last attempt started or ended. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A slice of an endpoint's deliveries, oldest first (a Relay connection). */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** Contains the nodes in this connection */
  edges: Array<WebhookDeliveryEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items match in all, across every page of this connection. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: WebhookDelivery;
};

/** Where a delivery is: PENDING (sent or retried), then SUCCEEDED or FAILED. */
export type WebhookDeliveryStatus =
  /** Every attempt failed (PALIAPI_WEBHOOK_RETRY_DELAYS_S); no more are made. */
  | 'FAILED'
  /** Not accepted yet: queued, being sent, or waiting for its next retry. */
  | 'PENDING'
  /** The endpoint answered with a 2xx status. */
  | 'SUCCEEDED';

/** An edge in a connection. */
export type WebhookEdge = {
  __typename?: 'WebhookEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Webhook;
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me: { __typename?: 'User', id: string, name: string, isAdmin: boolean, createdAt: string } };

export type GetCollectionQueryVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type GetCollectionQuery = { __typename?: 'Query', collection?: { __typename?: 'Collection', id: string, name: string, metadata: unknown, model: string, createdAt: string, updatedAt: string, documentCount: number, pageCount: number } | null };

export type ListCollectionsQueryVariables = Exact<{
  filter?: InputMaybe<Scalars['JSON']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListCollectionsQuery = { __typename?: 'Query', collections: { __typename?: 'CollectionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'CollectionEdge', node: { __typename?: 'Collection', id: string, name: string, metadata: unknown, model: string, createdAt: string, updatedAt: string, documentCount: number, pageCount: number } }> } };

export type CreateCollectionMutationVariables = Exact<{
  input: CreateCollectionInput;
}>;


export type CreateCollectionMutation = { __typename?: 'Mutation', createCollection: { __typename?: 'Collection', id: string, name: string, metadata: unknown, model: string, createdAt: string, updatedAt: string, documentCount: number, pageCount: number } };

export type UpdateCollectionMutationVariables = Exact<{
  input: UpdateCollectionInput;
}>;


export type UpdateCollectionMutation = { __typename?: 'Mutation', updateCollection: { __typename?: 'Collection', id: string, name: string, metadata: unknown, model: string, createdAt: string, updatedAt: string, documentCount: number, pageCount: number } };

export type DeleteCollectionMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type DeleteCollectionMutation = { __typename?: 'Mutation', deleteCollection: boolean };

export type GetDocumentQueryVariables = Exact<{
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type GetDocumentQuery = { __typename?: 'Query', document?: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } | null };

export type ListDocumentsQueryVariables = Exact<{
  collectionName?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSON']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListDocumentsQuery = { __typename?: 'Query', documents: { __typename?: 'DocumentConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'DocumentEdge', node: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } }> } };

export type UploadDocumentMutationVariables = Exact<{
  input: UploadDocumentInput;
}>;


export type UploadDocumentMutation = { __typename?: 'Mutation', uploadDocument: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } };

export type UpdateDocumentMutationVariables = Exact<{
  input: UpdateDocumentInput;
}>;


export type UpdateDocumentMutation = { __typename?: 'Mutation', updateDocument: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } };

export type DeleteDocumentMutationVariables = Exact<{
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type DeleteDocumentMutation = { __typename?: 'Mutation', deleteDocument: boolean };

export type RetryDocumentMutationVariables = Exact<{
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type RetryDocumentMutation = { __typename?: 'Mutation', retryDocument: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } };

export type EmbedQueryVariables = Exact<{
  input: EmbedInput;
}>;


export type EmbedQuery = { __typename?: 'Query', embed: Array<{ __typename?: 'MultiVector', tokens: number, dim: number, dtype: string, base64: string }> };

export type CollectionFieldsFragment = { __typename?: 'Collection', id: string, name: string, metadata: unknown, model: string, createdAt: string, updatedAt: string, documentCount: number, pageCount: number };

export type DocumentFieldsFragment = { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } };

export type PageInfoFieldsFragment = { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null };

export type SearchQueryVariables = Exact<{
  input: SearchInput;
}>;


export type SearchQuery = { __typename?: 'Query', search: { __typename?: 'SearchResponse', query?: string | null, tookMs: number, results: Array<{ __typename?: 'SearchResult', rank: number, score: number, page: { __typename?: 'Page', id: string, number: number, width: number, height: number, text?: string | null, imageUrl: string }, document: { __typename?: 'Document', id: string, name: string, metadata: unknown }, collection: { __typename?: 'Collection', name: string } }> } };

export type WebhookFieldsFragment = { __typename?: 'Webhook', id: string, url: string, events: Array<string>, createdAt: string };

export type WebhookDeliveryFieldsFragment = { __typename?: 'WebhookDelivery', id: string, eventId: string, eventType: string, payload: unknown, status: WebhookDeliveryStatus, attempts: number, lastError?: string | null, lastStatusCode?: number | null, nextAttemptAt?: string | null, createdAt: string, updatedAt: string };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { __typename?: 'Mutation', createWebhook: { __typename?: 'Webhook', secret?: string | null, id: string, url: string, events: Array<string>, createdAt: string } };

export type ListWebhooksQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListWebhooksQuery = { __typename?: 'Query', webhooks: { __typename?: 'WebhookConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'WebhookEdge', node: { __typename?: 'Webhook', secret?: string | null, id: string, url: string, events: Array<string>, createdAt: string } }> } };

export type DeleteWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteWebhookMutation = { __typename?: 'Mutation', deleteWebhook: boolean };

export type TestWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TestWebhookMutation = { __typename?: 'Mutation', testWebhook: boolean };

export type WebhookDeliveriesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WebhookDeliveriesQuery = { __typename?: 'Query', node?: { __typename?: 'Collection' } | { __typename?: 'Document' } | { __typename?: 'Page' } | { __typename?: 'User' } | { __typename?: 'Webhook', deliveries: { __typename?: 'WebhookDeliveryConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'WebhookDeliveryEdge', node: { __typename?: 'WebhookDelivery', id: string, eventId: string, eventType: string, payload: unknown, status: WebhookDeliveryStatus, attempts: number, lastError?: string | null, lastStatusCode?: number | null, nextAttemptAt?: string | null, createdAt: string, updatedAt: string } }> } } | { __typename?: 'WebhookDelivery' } | null };

export type DocumentStatusSubscriptionVariables = Exact<{
  collectionName: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type DocumentStatusSubscription = { __typename?: 'Subscription', documentStatus: { __typename?: 'Document', id: string, name: string, metadata: unknown, status: DocumentStatus, progress: number, error?: string | null, mimeType?: string | null, pageCount: number, sizeBytes?: number | null, contentSha256?: string | null, sourceUrl?: string | null, createdAt: string, updatedAt: string, collection: { __typename?: 'Collection', name: string } } };

export const CollectionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CollectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Collection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"documentCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}}]}}]} as unknown as DocumentNode<CollectionFieldsFragment, unknown>;
export const DocumentFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DocumentFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<PageInfoFieldsFragment, unknown>;
export const WebhookFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<WebhookFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WebhookDeliveryFieldsFragment, unknown>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isAdmin"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const GetCollectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetCollection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"collection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CollectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CollectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Collection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"documentCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}}]}}]} as unknown as DocumentNode<GetCollectionQuery, GetCollectionQueryVariables>;
export const ListCollectionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListCollections"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"collections"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CollectionFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CollectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Collection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"documentCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}}]}}]} as unknown as DocumentNode<ListCollectionsQuery, ListCollectionsQueryVariables>;
export const CreateCollectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCollection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCollectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCollection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CollectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CollectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Collection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"documentCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}}]}}]} as unknown as DocumentNode<CreateCollectionMutation, CreateCollectionMutationVariables>;
export const UpdateCollectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCollection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCollectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCollection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CollectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CollectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Collection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"documentCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}}]}}]} as unknown as DocumentNode<UpdateCollectionMutation, UpdateCollectionMutationVariables>;
export const DeleteCollectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteCollection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteCollection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}]}]}}]} as unknown as DocumentNode<DeleteCollectionMutation, DeleteCollectionMutationVariables>;
export const GetDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"document"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"collectionName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<GetDocumentQuery, GetDocumentQueryVariables>;
export const ListDocumentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListDocuments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"collectionName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ListDocumentsQuery, ListDocumentsQueryVariables>;
export const UploadDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UploadDocumentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<UploadDocumentMutation, UploadDocumentMutationVariables>;
export const UpdateDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateDocumentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<UpdateDocumentMutation, UpdateDocumentMutationVariables>;
export const DeleteDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"collectionName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}]}]}}]} as unknown as DocumentNode<DeleteDocumentMutation, DeleteDocumentMutationVariables>;
export const RetryDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RetryDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"collectionName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RetryDocumentMutation, RetryDocumentMutationVariables>;
export const EmbedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Embed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EmbedInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"embed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tokens"}},{"kind":"Field","name":{"kind":"Name","value":"dim"}},{"kind":"Field","name":{"kind":"Name","value":"dtype"}},{"kind":"Field","name":{"kind":"Name","value":"base64"}}]}}]}}]} as unknown as DocumentNode<EmbedQuery, EmbedQueryVariables>;
export const SearchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Search"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SearchInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"search"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"tookMs"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"page"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"imageUrl"}}]}},{"kind":"Field","name":{"kind":"Name","value":"document"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SearchQuery, SearchQueryVariables>;
export const CreateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const ListWebhooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListWebhooks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ListWebhooksQuery, ListWebhooksQueryVariables>;
export const DeleteWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const TestWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TestWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"testWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<TestWebhookMutation, TestWebhookMutationVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookDeliveryFields"}}]}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const DocumentStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DocumentStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documentStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"collectionName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"collectionName"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"pageCount"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentSha256"}},{"kind":"Field","name":{"kind":"Name","value":"sourceUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"collection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DocumentStatusSubscription, DocumentStatusSubscriptionVariables>;