"""Downloads stream under WSGI and ASGI alike: the same bytes, and under ASGI no warning about sync iterators."""

import warnings

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from django.urls import reverse

from tests.directory.factories import MINIMAL_PDF, make_practice, make_resource, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _fetch_under_asgi(url: str) -> tuple[int, bytes]:
    async def fetch():
        response = await AsyncClient().get(url)
        return response.status_code, b"".join([chunk async for chunk in response])

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "StreamingHttpResponse must consume synchronous iterators ..."
        return async_to_sync(fetch)()


def test_a_resource_file_downloads_under_asgi_without_a_warning(client):
    resource = make_resource(title="City welcome study", upload=pdf_upload())
    url = reverse("directory:resource-file", args=[resource.slug])
    status, body = _fetch_under_asgi(url)
    assert status == 200 and body == MINIMAL_PDF
    assert b"".join(client.get(url).streaming_content) == MINIMAL_PDF


def test_a_csv_export_streams_under_asgi_without_a_warning(client):
    make_practice(status="published", title="Language cafés in libraries")
    url = reverse("directory:practices-csv")
    status, body = _fetch_under_asgi(url)
    assert status == 200 and "Language cafés in libraries" in body.decode()
    assert b"".join(client.get(url).streaming_content) == body
