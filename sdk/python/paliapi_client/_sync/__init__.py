from .base_client import BaseClient
from .base_model import BaseModel, Upload
from .client import GeneratedClient
from .create_collection import CreateCollection, CreateCollectionCreateCollection
from .create_webhook import CreateWebhook, CreateWebhookCreateWebhook
from .delete_collection import DeleteCollection
from .delete_document import DeleteDocument
from .delete_webhook import DeleteWebhook
from .embed import Embed, EmbedEmbed
from .enums import DocumentStatus, SearchMode, WebhookDeliveryStatus
from .exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)
from .fragments import (
    CollectionFields,
    DocumentFields,
    DocumentFieldsCollection,
    PageInfoFields,
    WebhookDeliveryFields,
    WebhookFields,
)
from .get_collection import GetCollection, GetCollectionCollection
from .get_document import GetDocument, GetDocumentDocument
from .input_types import (
    CreateCollectionInput,
    CreateWebhookInput,
    EmbedInput,
    SearchInput,
    UpdateCollectionInput,
    UpdateDocumentInput,
    UploadDocumentInput,
)
from .list_collections import (
    ListCollections,
    ListCollectionsCollections,
    ListCollectionsCollectionsEdges,
    ListCollectionsCollectionsEdgesNode,
    ListCollectionsCollectionsPageInfo,
)
from .list_documents import (
    ListDocuments,
    ListDocumentsDocuments,
    ListDocumentsDocumentsEdges,
    ListDocumentsDocumentsEdgesNode,
    ListDocumentsDocumentsPageInfo,
)
from .list_webhooks import (
    ListWebhooks,
    ListWebhooksWebhooks,
    ListWebhooksWebhooksEdges,
    ListWebhooksWebhooksEdgesNode,
    ListWebhooksWebhooksPageInfo,
)
from .me import Me, MeMe
from .retry_document import RetryDocument, RetryDocumentRetryDocument
from .search import (
    Search,
    SearchSearch,
    SearchSearchResults,
    SearchSearchResultsCollection,
    SearchSearchResultsDocument,
    SearchSearchResultsPage,
)
from .test_webhook import TestWebhook
from .update_collection import UpdateCollection, UpdateCollectionUpdateCollection
from .update_document import UpdateDocument, UpdateDocumentUpdateDocument
from .upload_document import UploadDocument, UploadDocumentUploadDocument
from .webhook_deliveries import (
    WebhookDeliveries,
    WebhookDeliveriesNodeNode,
    WebhookDeliveriesNodeWebhook,
    WebhookDeliveriesNodeWebhookDeliveries,
    WebhookDeliveriesNodeWebhookDeliveriesEdges,
    WebhookDeliveriesNodeWebhookDeliveriesEdgesNode,
    WebhookDeliveriesNodeWebhookDeliveriesPageInfo,
)

__all__ = [
    "BaseClient",
    "BaseModel",
    "CollectionFields",
    "CreateCollection",
    "CreateCollectionCreateCollection",
    "CreateCollectionInput",
    "CreateWebhook",
    "CreateWebhookCreateWebhook",
    "CreateWebhookInput",
    "DeleteCollection",
    "DeleteDocument",
    "DeleteWebhook",
    "DocumentFields",
    "DocumentFieldsCollection",
    "DocumentStatus",
    "Embed",
    "EmbedEmbed",
    "EmbedInput",
    "GeneratedClient",
    "GetCollection",
    "GetCollectionCollection",
    "GetDocument",
    "GetDocumentDocument",
    "GraphQLClientError",
    "GraphQLClientGraphQLError",
    "GraphQLClientGraphQLMultiError",
    "GraphQLClientHttpError",
    "GraphQLClientInvalidResponseError",
    "ListCollections",
    "ListCollectionsCollections",
    "ListCollectionsCollectionsEdges",
    "ListCollectionsCollectionsEdgesNode",
    "ListCollectionsCollectionsPageInfo",
    "ListDocuments",
    "ListDocumentsDocuments",
    "ListDocumentsDocumentsEdges",
    "ListDocumentsDocumentsEdgesNode",
    "ListDocumentsDocumentsPageInfo",
    "ListWebhooks",
    "ListWebhooksWebhooks",
    "ListWebhooksWebhooksEdges",
    "ListWebhooksWebhooksEdgesNode",
    "ListWebhooksWebhooksPageInfo",
    "Me",
    "MeMe",
    "PageInfoFields",
    "RetryDocument",
    "RetryDocumentRetryDocument",
    "Search",
    "SearchInput",
    "SearchMode",
    "SearchSearch",
    "SearchSearchResults",
    "SearchSearchResultsCollection",
    "SearchSearchResultsDocument",
    "SearchSearchResultsPage",
    "TestWebhook",
    "UpdateCollection",
    "UpdateCollectionInput",
    "UpdateCollectionUpdateCollection",
    "UpdateDocument",
    "UpdateDocumentInput",
    "UpdateDocumentUpdateDocument",
    "Upload",
    "UploadDocument",
    "UploadDocumentInput",
    "UploadDocumentUploadDocument",
    "WebhookDeliveries",
    "WebhookDeliveriesNodeNode",
    "WebhookDeliveriesNodeWebhook",
    "WebhookDeliveriesNodeWebhookDeliveries",
    "WebhookDeliveriesNodeWebhookDeliveriesEdges",
    "WebhookDeliveriesNodeWebhookDeliveriesEdgesNode",
    "WebhookDeliveriesNodeWebhookDeliveriesPageInfo",
    "WebhookDeliveryFields",
    "WebhookDeliveryStatus",
    "WebhookFields",
]
