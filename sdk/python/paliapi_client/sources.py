"""What `upload` and `search(image=...)` accept: a path, bytes, or an http(s) URL."""

from __future__ import annotations

import base64
import io
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

Source = str | Path | bytes
ProgressCallback = Callable[[int, int], None]
"""Called as `progress(bytes_sent, total_bytes)` while an upload's body is sent."""


def is_url(source: Source) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def default_name(source: Source) -> str:
    if isinstance(source, bytes):
        raise ValueError("pass name= when uploading bytes")
    text = str(source).rstrip("/")
    return text.rsplit("/", 1)[-1].split("?", 1)[0] or "document"


def open_source(source: Source) -> tuple[str, IO[bytes], str]:
    """(filename, a binary stream, content type) for a path or bytes."""
    if isinstance(source, bytes):
        return "upload", io.BytesIO(source), "application/octet-stream"
    path = Path(source)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.name, path.open("rb"), content_type


def image_base64(image: Source) -> str:
    data = image if isinstance(image, bytes) else Path(image).read_bytes()
    return base64.b64encode(data).decode("ascii")


class ProgressReader(io.RawIOBase):
    """A read-only stream that reports how much of it has been read.

    httpx reads multipart file parts in chunks, so counting reads counts bytes sent.
    """

    def __init__(self, stream: IO[bytes], progress: ProgressCallback | None) -> None:
        super().__init__()
        self._stream = stream
        self._progress = progress
        self._total = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        self._sent = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._stream.seek(offset, whence)
        if whence == io.SEEK_SET:
            self._sent = position
        return position

    def tell(self) -> int:
        return self._stream.tell()

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._sent += len(chunk)
        if self._progress is not None and (chunk or self._sent == self._total):
            self._progress(min(self._sent, self._total), self._total)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._stream.close()
        super().close()
