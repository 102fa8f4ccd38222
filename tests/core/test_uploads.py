"""The upload check against archive bombs: nothing is inflated beyond a small prefix, whatever the archive says."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.uploads import ODT_MIMETYPE, check_upload

MIB = 1024 * 1024


def _zip(entries: dict[str, bytes | tuple[bytes, int]]) -> bytes:
    """A zip whose entries are given bytes, or (chunk, times) written in a stream so the test stays small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            if isinstance(data, tuple):
                chunk, times = data
                with archive.open(name, "w", force_zip64=True) as entry:
                    for _ in range(times):
                        entry.write(chunk)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _checked(name: str, content: bytes) -> tuple[str | None, str, int]:
    """(type or None, error, peak bytes allocated while checking)."""
    tracemalloc.start()
    try:
        file_type, error = check_upload(SimpleUploadedFile(name, content)), ""
    except ValidationError as refused:
        file_type, error = None, " ".join(refused.message_dict["file"])
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return file_type, error, peak


def test_an_odt_whose_mimetype_inflates_to_256_mib_is_refused_without_inflating_it():
    bomb = _zip({"mimetype": (ODT_MIMETYPE, 1), "padding": (b" " * MIB, 256), "content.xml": b"<x/>"})
    # The mimetype entry itself as the bomb: the right text, then 256 MiB of spaces that strip() removed.
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            entry.write(ODT_MIMETYPE)
            for _ in range(256):
                entry.write(b" " * MIB)
        archive.writestr("content.xml", b"<office:document/>")
    for content in (stream.getvalue(), bomb):
        assert len(content) < 2 * MIB
        file_type, error, peak = _checked("report.odt", content)
        assert file_type is None and "expands" in error
        assert peak < 8 * MIB, f"checking a {len(content) // 1024} KiB upload allocated {peak // MIB} MiB"


def test_an_archive_that_lies_about_its_sizes_is_read_no_further_than_a_prefix(monkeypatch):
    # Declared sizes within bounds, so only the bounded read protects: the mimetype is read as far as its text.
    monkeypatch.setattr(uploads, "ZIP_MAX_RATIO", 10**9)
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", 10**12)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            entry.write(ODT_MIMETYPE)
            for _ in range(64):
                entry.write(b" " * MIB)
        archive.writestr("content.xml", b"<office:document/>")
    file_type, _error, peak = _checked("report.odt", stream.getvalue())
    assert file_type is None
    assert peak < 8 * MIB


@pytest.mark.parametrize(("entries", "reason"), [
    ({"[Content_Types].xml": b"<Types/>", "word/document.xml": (b"\0" * MIB, 300)}, "expands"),
    ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
      **{f"word/media/{n}.xml": b"" for n in range(uploads.ZIP_MAX_ENTRIES + 1)}}, "files"),
])
def test_a_docx_that_would_inflate_beyond_a_document_is_refused(entries, reason):
    file_type, error, _peak = _checked("guide.docx", _zip(entries))
    assert file_type is None and reason in error


def test_real_documents_with_ordinary_compression_are_accepted():
    text = b"<w:p>Local integration councils meet monthly.</w:p>" * 20_000  # about 1 MB of XML
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": text,
                 "word/media/photo.jpg": bytes(range(256)) * 4096})
    odt = _zip({"mimetype": ODT_MIMETYPE, "content.xml": text})
    assert _checked("guide.docx", docx)[0] == "docx"
    assert _checked("notes.odt", odt)[0] == "odt"
