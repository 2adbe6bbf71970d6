from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel, Upload
from .enums import SearchMode


class CreateCollectionInput(BaseModel):
    """A new collection. A name you already use is a CONFLICT."""

    name: str
    "Its name: 1 to 200 characters, no leading or trailing spaces, no control characters (else BAD_USER_INPUT)."
    metadata: Optional[Any] = None
    "Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. Default `{}`."
    model: Optional[str] = None
    "The embedding model; omit it for the server's own. Any other is BAD_USER_INPUT (a server embeds with one model)."
    pool_factor: Optional[int] = Field(alias="poolFactor", default=None)
    "Pool each page's vectors by this factor (hierarchical clustering of its tokens, as colpali-engine's token pooling): 1 to 16, default 1 (none); 3 stores about a third. Fixed for the collection's life."


class CreateWebhookInput(BaseModel):
    """A new webhook endpoint."""

    url: str
    "Where to POST events: an http(s) URL whose host resolves to public addresses only, on an allowed port (80 and 443 by default: PALIAPI_URL_ALLOWED_PORTS), checked again at every delivery; else BAD_USER_INPUT."
    events: list[str]
    "The events to receive, at least one of `document.ready`, `document.failed`, `document.deleted`, `collection.deleted`; others: BAD_USER_INPUT."
    secret: Optional[str] = None
    "Your own signing secret: `whsec_` and the base64 of 24 to 64 random bytes. Omitted: one is generated, and returned once as `Webhook.secret`."


class EmbedInput(BaseModel):
    """What to embed: exactly one of `queries` or `images`, with 1 to 16 items by default (PALIAPI_EMBED_MAX_BATCH); anything else is BAD_USER_INPUT."""

    queries: Optional[list[str]] = None
    "Text queries, embedded as `search` embeds a text query (same vectors)."
    images: Optional[list[Upload]] = None
    "Images (multipart uploads), prepared and embedded as `search` embeds an image query, which is how page images are embedded too."


class SearchInput(BaseModel):
    """A search. VISUAL takes exactly one of `query`, `image` or `imageBase64`; TEXT and HYBRID need `query`. Anything else is BAD_USER_INPUT."""

    query: Optional[str] = None
    "A text query."
    image: Optional[Upload] = None
    "An image query, as a multipart upload (not together with `imageBase64`)."
    image_base_64: Optional[str] = Field(alias="imageBase64", default=None)
    "An image query, base64-encoded (strict: no stray characters)."
    collection_name: Optional[str] = Field(alias="collectionName", default=None)
    "Search this collection only (NOT_FOUND if you have none by that name, CONFLICT if it is embedded with another model than the server's). Omitted: all of your collections that the server's model embedded."
    collection_filter: Optional[Any] = Field(alias="collectionFilter", default=None)
    'Search only collections whose metadata match. A metadata filter, a JSON object: plain keys match by equality, dotted keys reach nested values (`"author.name"`), and the operators are `$eq $ne $gt $gte $lt $lte $in $nin $exists $contains $and $or $not`, e.g. `{"year": {"$gte": 2020}}`. A wrong filter is BAD_USER_INPUT naming the offending path.'
    document_filter: Optional[Any] = Field(alias="documentFilter", default=None)
    'Search only documents whose metadata match. A metadata filter, a JSON object: plain keys match by equality, dotted keys reach nested values (`"author.name"`), and the operators are `$eq $ne $gt $gte $lt $lte $in $nin $exists $contains $and $or $not`, e.g. `{"year": {"$gte": 2020}}`. A wrong filter is BAD_USER_INPUT naming the offending path.'
    top_k: int = Field(alias="topK", default=3)
    "How many results: 1 to 100 (PALIAPI_SEARCH_MAX_TOP_K), 3 by default; out of range is BAD_USER_INPUT."
    mode: SearchMode = SearchMode.VISUAL
    "How to match pages; VISUAL by default."
    exact: bool = False
    "true: score every page in scope by exact MaxSim, skipping the approximate first stage (for evaluations; slower). Over 10,000 pages in scope (PALIAPI_MAX_EXACT_CANDIDATES) is BAD_USER_INPUT, except for admins."


class UpdateCollectionInput(BaseModel):
    """Changes to a collection; omitted fields stay as they are."""

    name: str
    "The collection to change, by its current name."
    new_name: Optional[str] = Field(alias="newName", default=None)
    "Rename it (same rules as at creation); a name in use is a CONFLICT."
    metadata: Optional[Any] = None
    "Replaces the metadata whole (no merge). Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters."


class UpdateDocumentInput(BaseModel):
    """Changes to a document; omitted fields stay as they are."""

    collection_name: str = Field(alias="collectionName")
    "The collection the document is in now. The collection's name (yours; another user's is NOT_FOUND)."
    name: str
    "The document to change, by its current name."
    new_name: Optional[str] = Field(alias="newName", default=None)
    "Rename it (same rules as at upload); a name in use is a CONFLICT."
    metadata: Optional[Any] = None
    "Replaces the metadata whole (no merge). Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters."
    new_collection_name: Optional[str] = Field(alias="newCollectionName", default=None)
    "Move it to this collection of yours; one embedded with another model is BAD_USER_INPUT, a same-named document there a CONFLICT."


class UploadDocumentInput(BaseModel):
    """A document to upload: a PDF; a PNG, JPEG, WebP, TIFF, GIF or BMP image; an Office, OpenDocument, RTF, EPUB, XPS, CBZ, FB2, SVG, Markdown or plain-text file (converted to pages by the worker); or an HTML page (a `url` answering `text/html` is rendered as a browser shows it). Types are judged by the bytes; others are UNSUPPORTED_MEDIA_TYPE. At most 100 MiB by default (PALIAPI_MAX_UPLOAD_MB; larger is PAYLOAD_TOO_LARGE). Give exactly one of `file`, `url` or `base64`, else BAD_USER_INPUT."""

    collection_name: str = Field(alias="collectionName")
    "The collection to add it to. The collection's name (yours; another user's is NOT_FOUND)."
    name: str
    "Its name: 1 to 300 characters, no leading or trailing spaces, no control characters. A name in use is a CONFLICT unless `overwrite` is true."
    metadata: Optional[Any] = None
    "Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters. Default `{}`."
    file: Optional[Upload] = None
    "The file, as a multipart upload (the request needs a non-simple header such as `Apollo-Require-Preflight: true`)."
    url: Optional[str] = None
    "An http(s) URL for the server to fetch the file from: public hosts on ports 80 and 443 by default, within 30 s (PALIAPI_URL_TIMEOUT_S); a refused or failed fetch is BAD_USER_INPUT."
    base_64: Optional[str] = Field(alias="base64", default=None)
    "The file, base64-encoded (strict: no stray characters)."
    wait: bool = False
    "true: answer once the document is READY or FAILED, or as it is after PALIAPI_WAIT_TIMEOUT_S (600 s by default); false: answer at once, PENDING."
    overwrite: bool = False
    "true: replace a document of the same name in the collection (its webhooks get `document.deleted` for the old one)."
