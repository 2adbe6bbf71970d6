from collections.abc import AsyncIterator
from typing import Any, Optional, Union

from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .create_collection import CreateCollection
from .create_webhook import CreateWebhook
from .delete_collection import DeleteCollection
from .delete_document import DeleteDocument
from .delete_webhook import DeleteWebhook
from .document_status import DocumentStatus
from .embed import Embed
from .get_collection import GetCollection
from .get_document import GetDocument
from .input_types import (
    CreateCollectionInput,
    CreateWebhookInput,
    EmbedInput,
    SearchInput,
    UpdateCollectionInput,
    UpdateDocumentInput,
    UploadDocumentInput,
)
from .list_collections import ListCollections
from .list_documents import ListDocuments
from .list_webhooks import ListWebhooks
from .me import Me
from .retry_document import RetryDocument
from .search import Search
from .test_webhook import TestWebhook
from .update_collection import UpdateCollection
from .update_document import UpdateDocument
from .upload_document import UploadDocument
from .webhook_deliveries import WebhookDeliveries


def gql(q: str) -> str:
    return q


class AsyncGeneratedClient(AsyncBaseClient):
    async def me(self, **kwargs: Any) -> Me:
        query = gql("""
            query Me {
              me {
                id
                name
                isAdmin
                createdAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Me", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Me.model_validate(data)

    async def get_collection(self, name: str, **kwargs: Any) -> GetCollection:
        query = gql("""
            query GetCollection($name: String!) {
              collection(name: $name) {
                ...CollectionFields
              }
            }

            fragment CollectionFields on Collection {
              id
              name
              metadata
              model
              createdAt
              updatedAt
              documentCount
              pageCount
            }
            """)
        variables: dict[str, object] = {"name": name}
        response = await self.execute(
            query=query, operation_name="GetCollection", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetCollection.model_validate(data)

    async def list_collections(
        self,
        filter_: Union[Optional[Any], UnsetType] = UNSET,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> ListCollections:
        query = gql("""
            query ListCollections($filter: JSON, $first: Int, $after: String) {
              collections(filter: $filter, first: $first, after: $after) {
                totalCount
                pageInfo {
                  ...PageInfoFields
                }
                edges {
                  node {
                    ...CollectionFields
                  }
                }
              }
            }

            fragment CollectionFields on Collection {
              id
              name
              metadata
              model
              createdAt
              updatedAt
              documentCount
              pageCount
            }

            fragment PageInfoFields on PageInfo {
              hasNextPage
              endCursor
            }
            """)
        variables: dict[str, object] = {
            "filter": filter_,
            "first": first,
            "after": after,
        }
        response = await self.execute(
            query=query, operation_name="ListCollections", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ListCollections.model_validate(data)

    async def create_collection(
        self, input: CreateCollectionInput, **kwargs: Any
    ) -> CreateCollection:
        query = gql("""
            mutation CreateCollection($input: CreateCollectionInput!) {
              createCollection(input: $input) {
                ...CollectionFields
              }
            }

            fragment CollectionFields on Collection {
              id
              name
              metadata
              model
              createdAt
              updatedAt
              documentCount
              pageCount
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateCollection",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateCollection.model_validate(data)

    async def update_collection(
        self, input: UpdateCollectionInput, **kwargs: Any
    ) -> UpdateCollection:
        query = gql("""
            mutation UpdateCollection($input: UpdateCollectionInput!) {
              updateCollection(input: $input) {
                ...CollectionFields
              }
            }

            fragment CollectionFields on Collection {
              id
              name
              metadata
              model
              createdAt
              updatedAt
              documentCount
              pageCount
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdateCollection",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateCollection.model_validate(data)

    async def delete_collection(self, name: str, **kwargs: Any) -> DeleteCollection:
        query = gql("""
            mutation DeleteCollection($name: String!) {
              deleteCollection(name: $name)
            }
            """)
        variables: dict[str, object] = {"name": name}
        response = await self.execute(
            query=query,
            operation_name="DeleteCollection",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeleteCollection.model_validate(data)

    async def get_document(
        self, collection_name: str, name: str, **kwargs: Any
    ) -> GetDocument:
        query = gql("""
            query GetDocument($collectionName: String!, $name: String!) {
              document(collectionName: $collectionName, name: $name) {
                ...DocumentFields
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }
            """)
        variables: dict[str, object] = {"collectionName": collection_name, "name": name}
        response = await self.execute(
            query=query, operation_name="GetDocument", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetDocument.model_validate(data)

    async def list_documents(
        self,
        collection_name: Union[Optional[str], UnsetType] = UNSET,
        filter_: Union[Optional[Any], UnsetType] = UNSET,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> ListDocuments:
        query = gql("""
            query ListDocuments($collectionName: String, $filter: JSON, $first: Int, $after: String) {
              documents(
                collectionName: $collectionName
                filter: $filter
                first: $first
                after: $after
              ) {
                totalCount
                pageInfo {
                  ...PageInfoFields
                }
                edges {
                  node {
                    ...DocumentFields
                  }
                }
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }

            fragment PageInfoFields on PageInfo {
              hasNextPage
              endCursor
            }
            """)
        variables: dict[str, object] = {
            "collectionName": collection_name,
            "filter": filter_,
            "first": first,
            "after": after,
        }
        response = await self.execute(
            query=query, operation_name="ListDocuments", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ListDocuments.model_validate(data)

    async def upload_document(
        self, input: UploadDocumentInput, **kwargs: Any
    ) -> UploadDocument:
        query = gql("""
            mutation UploadDocument($input: UploadDocumentInput!) {
              uploadDocument(input: $input) {
                ...DocumentFields
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UploadDocument", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UploadDocument.model_validate(data)

    async def update_document(
        self, input: UpdateDocumentInput, **kwargs: Any
    ) -> UpdateDocument:
        query = gql("""
            mutation UpdateDocument($input: UpdateDocumentInput!) {
              updateDocument(input: $input) {
                ...DocumentFields
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateDocument", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateDocument.model_validate(data)

    async def delete_document(
        self, collection_name: str, name: str, **kwargs: Any
    ) -> DeleteDocument:
        query = gql("""
            mutation DeleteDocument($collectionName: String!, $name: String!) {
              deleteDocument(collectionName: $collectionName, name: $name)
            }
            """)
        variables: dict[str, object] = {"collectionName": collection_name, "name": name}
        response = await self.execute(
            query=query, operation_name="DeleteDocument", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteDocument.model_validate(data)

    async def retry_document(
        self, collection_name: str, name: str, **kwargs: Any
    ) -> RetryDocument:
        query = gql("""
            mutation RetryDocument($collectionName: String!, $name: String!) {
              retryDocument(collectionName: $collectionName, name: $name) {
                ...DocumentFields
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }
            """)
        variables: dict[str, object] = {"collectionName": collection_name, "name": name}
        response = await self.execute(
            query=query, operation_name="RetryDocument", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RetryDocument.model_validate(data)

    async def embed(self, input: EmbedInput, **kwargs: Any) -> Embed:
        query = gql("""
            query Embed($input: EmbedInput!) {
              embed(input: $input) {
                tokens
                dim
                dtype
                base64
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Embed", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Embed.model_validate(data)

    async def search(self, input: SearchInput, **kwargs: Any) -> Search:
        query = gql("""
            query Search($input: SearchInput!) {
              search(input: $input) {
                query
                tookMs
                results {
                  rank
                  score
                  page {
                    id
                    number
                    width
                    height
                    text
                    imageUrl
                  }
                  document {
                    id
                    name
                    metadata
                  }
                  collection {
                    name
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Search", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Search.model_validate(data)

    async def create_webhook(
        self, input: CreateWebhookInput, **kwargs: Any
    ) -> CreateWebhook:
        query = gql("""
            mutation CreateWebhook($input: CreateWebhookInput!) {
              createWebhook(input: $input) {
                ...WebhookFields
                secret
              }
            }

            fragment WebhookFields on Webhook {
              id
              url
              events
              createdAt
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateWebhook", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateWebhook.model_validate(data)

    async def list_webhooks(
        self,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> ListWebhooks:
        query = gql("""
            query ListWebhooks($first: Int, $after: String) {
              webhooks(first: $first, after: $after) {
                totalCount
                pageInfo {
                  ...PageInfoFields
                }
                edges {
                  node {
                    ...WebhookFields
                    secret
                  }
                }
              }
            }

            fragment PageInfoFields on PageInfo {
              hasNextPage
              endCursor
            }

            fragment WebhookFields on Webhook {
              id
              url
              events
              createdAt
            }
            """)
        variables: dict[str, object] = {"first": first, "after": after}
        response = await self.execute(
            query=query, operation_name="ListWebhooks", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ListWebhooks.model_validate(data)

    async def delete_webhook(self, id: str, **kwargs: Any) -> DeleteWebhook:
        query = gql("""
            mutation DeleteWebhook($id: ID!) {
              deleteWebhook(id: $id)
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="DeleteWebhook", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteWebhook.model_validate(data)

    async def test_webhook(self, id: str, **kwargs: Any) -> TestWebhook:
        query = gql("""
            mutation TestWebhook($id: ID!) {
              testWebhook(id: $id)
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="TestWebhook", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return TestWebhook.model_validate(data)

    async def webhook_deliveries(
        self,
        id: str,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> WebhookDeliveries:
        query = gql("""
            query WebhookDeliveries($id: ID!, $first: Int, $after: String) {
              node(id: $id) {
                __typename
                ... on Webhook {
                  deliveries(first: $first, after: $after) {
                    totalCount
                    pageInfo {
                      ...PageInfoFields
                    }
                    edges {
                      node {
                        ...WebhookDeliveryFields
                      }
                    }
                  }
                }
              }
            }

            fragment PageInfoFields on PageInfo {
              hasNextPage
              endCursor
            }

            fragment WebhookDeliveryFields on WebhookDelivery {
              id
              eventId
              eventType
              payload
              status
              attempts
              lastError
              lastStatusCode
              nextAttemptAt
              createdAt
              updatedAt
            }
            """)
        variables: dict[str, object] = {"id": id, "first": first, "after": after}
        response = await self.execute(
            query=query,
            operation_name="WebhookDeliveries",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return WebhookDeliveries.model_validate(data)

    async def document_status(
        self, collection_name: str, name: str, **kwargs: Any
    ) -> AsyncIterator[DocumentStatus]:
        query = gql("""
            subscription DocumentStatus($collectionName: String!, $name: String!) {
              documentStatus(collectionName: $collectionName, name: $name) {
                ...DocumentFields
              }
            }

            fragment DocumentFields on Document {
              id
              name
              metadata
              status
              progress
              error
              mimeType
              pageCount
              sizeBytes
              contentSha256
              sourceUrl
              createdAt
              updatedAt
              collection {
                name
              }
            }
            """)
        variables: dict[str, object] = {"collectionName": collection_name, "name": name}
        async for data in self.execute_ws(
            query=query, operation_name="DocumentStatus", variables=variables, **kwargs
        ):
            yield DocumentStatus.model_validate(data)
