from .async_base_client import AsyncBaseClient
from .base_model import BaseModel, Upload
from .client import AsyncGeneratedClient
from .create_collection import CreateCollection, CreateCollectionCreateCollection
from .delete_collection import DeleteCollection
from .delete_document import DeleteDocument
from .document_status import DocumentStatus, DocumentStatusDocumentStatus
from .enums import DocumentStatus, SearchMode
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
)
from .get_collection import GetCollection, GetCollectionCollection
from .get_document import GetDocument, GetDocumentDocument
from .input_types import (
    CreateCollectionInput,
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
from .update_collection import UpdateCollection, UpdateCollectionUpdateCollection
from .update_document import UpdateDocument, UpdateDocumentUpdateDocument
from .upload_document import UploadDocument, UploadDocumentUploadDocument

__all__ = [
    "AsyncBaseClient",
    "AsyncGeneratedClient",
    "BaseModel",
    "CollectionFields",
    "CreateCollection",
    "CreateCollectionCreateCollection",
    "CreateCollectionInput",
    "DeleteCollection",
    "DeleteDocument",
    "DocumentFields",
    "DocumentFieldsCollection",
    "DocumentStatus",
    "DocumentStatus",
    "DocumentStatusDocumentStatus",
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
]
