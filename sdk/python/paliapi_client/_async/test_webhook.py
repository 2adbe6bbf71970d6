from pydantic import Field

from .base_model import BaseModel


class TestWebhook(BaseModel):
    test_webhook: bool = Field(alias="testWebhook")
