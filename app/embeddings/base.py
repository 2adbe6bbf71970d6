"""What every embedding backend provides, and how it reports its health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from safetensors import SafetensorError

from app.errors import ErrorCode, PaliError
from gpu import wire
from gpu.wire import MultiVector

T = TypeVar("T")
State = Literal["idle", "loading", "ready", "unavailable"]


@dataclass
class Health:
    """What an embedder last showed: idle (nothing tried yet), loading, ready, or unavailable."""

    state: State = "idle"
    reason: str | None = None

    def describe(self) -> str:
        """The `/healthz` form: `ready`, or `unavailable: <reason>`."""
        return f"unavailable: {self.reason}" if self.state == "unavailable" else self.state

    def failed(self, reason: str) -> None:
        self.state, self.reason = "unavailable", reason

    async def track(self, call: Awaitable[T]) -> T:
        """Await an embedding call, recording whether the service answered."""
        try:
            result = await call
        except PaliError as error:
            if error.code is ErrorCode.EMBEDDINGS_UNAVAILABLE:
                self.failed(error.message)
            raise
        self.state, self.reason = "ready", None
        return result


class Embedder(Protocol):
    """Turns page images (encoded bytes) and text queries into float16 (tokens, dim) arrays."""

    @property
    def model_name(self) -> str:
        """The model that embeds; for a remote service, the one it last reported."""
        ...

    @property
    def dim(self) -> int: ...

    @property
    def health(self) -> Health: ...

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]: ...

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]: ...

    async def warm_up(self) -> None:
        """Get ready ahead of the first call (load the model, reach the service); never raises."""
        ...

    async def aclose(self) -> None: ...


def reported_model(expected: str | None, reported: str | None, *, service: str) -> str | None:
    """The model a remote service says it runs, checked against EMBEDDINGS_MODEL when set.

    Vectors of two models are not comparable: a mismatch stops the call before anything
    is stored or scored with them.
    """
    if expected and reported and reported != expected:
        raise PaliError(
            ErrorCode.EMBEDDINGS_UNAVAILABLE,
            f"The embedding service ({service}) runs {reported!r}, but EMBEDDINGS_MODEL is "
            f"{expected!r}. Point the service at {expected!r}, or set EMBEDDINGS_MODEL to "
            f"{reported!r} (collections already embedded with {expected!r} then stop matching).",
        )
    return reported


def decode_checked(
    payload: bytes, *, adopt: Callable[[str | None], None], service: str
) -> list[MultiVector]:
    """Vectors from a remote answer, once the model it says produced them is accepted."""
    try:
        adopt(wire.metadata(payload).get("model"))
        return wire.decode(payload)
    except (ValueError, SafetensorError) as exc:
        raise PaliError(
            ErrorCode.EMBEDDINGS_UNAVAILABLE,
            f"The embedding service ({service}) answered with something that is not "
            f"vectors ({exc}).",
        ) from exc
