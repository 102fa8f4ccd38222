"""Downloads that stream under both servers: WSGI iterates a file or generator, ASGI needs an async iterator.

Handed a plain iterator, Django's ASGI handler warns ("StreamingHttpResponse must consume synchronous
iterators") and reads the whole body into memory first. Here the chunks are pulled in batches, in the
request's thread (so a generator reading the database keeps its connection), and streamed from there.
"""

from collections.abc import AsyncIterator, Iterable
from itertools import islice
from typing import IO

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpRequest

CHUNKS_PER_HOP = 64  # file chunks are 4 KiB, CSV chunks one row: one thread hop per batch, not per chunk


def for_server(request: HttpRequest, chunks: Iterable[bytes]) -> Iterable[bytes] | AsyncIterator[bytes]:
    """`chunks` as the server serving `request` iterates best."""
    if not isinstance(request, ASGIRequest):
        return chunks
    iterator = iter(chunks)
    take = sync_to_async(lambda: list(islice(iterator, CHUNKS_PER_HOP)), thread_sensitive=True)

    async def pull() -> AsyncIterator[bytes]:
        while batch := await take():
            for chunk in batch:
                yield chunk

    return pull()


def file_response(request: HttpRequest, handle: IO[bytes], **kwargs) -> FileResponse:
    """A FileResponse (headers from the file, closed when sent) that streams under ASGI without a warning."""
    response = FileResponse(handle, **kwargs)
    if isinstance(request, ASGIRequest):
        response.streaming_content = for_server(request, response.streaming_content)
    return response
