"""Uploaded files in the directory's tests go to a temporary folder, never to var/media."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
