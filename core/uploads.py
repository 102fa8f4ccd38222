"""Checks on uploaded documents (library files, event attachments): the type is read from the content,
never trusted from the name or browser. MultipleFileField takes several files in one form input.

Accepted by default: PDF, DOCX and ODT, up to settings.UPLOAD_MAX_BYTES; a caller may also accept images
(PNG, JPEG, GIF, WebP, recognised by their signatures) and set its own size limit. The extension must
agree with the content, and Word files carrying macros are refused, so what a reader downloads is what
the platform says it is.

DOCX and ODT are zip archives, and a small archive can inflate to gigabytes (a 255 KiB ODT whose
`mimetype` entry inflated to 256 MiB once grew a worker by 500 MiB). So nothing here decompresses
more than a small prefix: the sizes the archive declares are checked first (entries, total, ratio),
and the one entry read (`mimetype`) is read only as far as its expected text.

`serve_download` gives every checked upload the same download headers (library, forums).
"""

import zipfile
import zlib
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.downloads import file_response

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
DOCUMENTS = ("pdf", "docx", "odt")
IMAGES = ("png", "jpeg", "gif", "webp")
# Names that mean the same type as another: a photo may end in .jpg.
EXTENSION_ALIASES = {"jpg": "jpeg"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# Bounds on what a document archive may declare. Real DOCX/ODT files hold a few dozen to a few
# thousand entries, inflate to a few times their size (XML), and keep images stored as they are.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # unpacked, all entries together
ZIP_MAX_RATIO = 100  # unpacked size over packed size, per entry larger than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024


class ArchiveBomb(ValueError):
    """The archive declares more than a document can plausibly hold."""


def _check_declared_sizes(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ArchiveBomb(_("it holds %(count)s files (a document has at most %(max)s)")
                          % {"count": number_format(len(entries), force_grouping=True),
                             "max": number_format(ZIP_MAX_ENTRIES, force_grouping=True)})
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > ZIP_RATIO_FLOOR and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1):
            raise ArchiveBomb(_("a part of it expands %(times)s times") % {
                "times": number_format(entry.file_size // max(entry.compress_size, 1), force_grouping=True)})
    if total > ZIP_MAX_TOTAL_BYTES:
        raise ArchiveBomb(_("it expands to %(size)s (at most %(max)s)")
                          % {"size": _readable(total), "max": _readable(ZIP_MAX_TOTAL_BYTES)})


def _odt_mimetype(archive: zipfile.ZipFile) -> bool:
    """Whether the `mimetype` entry says ODT, reading no more of it than that text (and a little)."""
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return False
    if info.file_size > len(ODT_MIMETYPE) + 64:
        return False
    with archive.open(info) as entry:
        return entry.read(len(ODT_MIMETYPE) + 64).strip() == ODT_MIMETYPE


def _sniff(upload: UploadedFile) -> str | None:
    """The file's real type from its first bytes and, for zip containers, their inventory.

    Raises ArchiveBomb for an archive that would inflate beyond what a document holds.
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    image = _sniff_image(head)
    if image is not None:
        return image
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_declared_sizes(archive)
            names = set(archive.namelist())
            if _odt_mimetype(archive):
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return "docm"
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        return None
    finally:
        upload.seek(0)
    return None


def _readable(size: int) -> str:
    """"5.0 MB", in the active language's units and decimal mark."""
    return filesizeformat(size)


def _listed(kinds: tuple[str, ...]) -> str:
    names = [kind.upper() for kind in kinds]
    if len(names) == 1:
        return names[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def check_upload(upload: UploadedFile, *, kinds: tuple[str, ...] = DOCUMENTS, limit: int | None = None) -> str:
    """Return the file's type (one of `kinds`, by default "pdf", "docx" or "odt") or raise a ValidationError
    on the `file` field. `limit` is the largest size in bytes, settings.UPLOAD_MAX_BYTES unless given."""
    limit = settings.UPLOAD_MAX_BYTES if limit is None else limit
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > limit:
        raise ValidationError({"file": _("The file is %(size)s, larger than allowed: the limit is %(limit)s.")
                                       % {"size": _readable(upload.size), "limit": _readable(limit)}})
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    extension = EXTENSION_ALIASES.get(extension, extension)
    if extension not in kinds:
        endings = _listed(tuple(f".{kind}" for kind in kinds)).lower()
        raise ValidationError({"file": _("Upload a %(kinds)s file (the name ends in %(endings)s).")
                                       % {"kinds": _listed(kinds), "endings": endings}})
    try:
        detected = _sniff(upload)
    except ArchiveBomb as bomb:
        raise ValidationError({"file": _("This file is not accepted: %(reason)s. Upload the document as saved by "
                                         "your word processor.") % {"reason": bomb}}) from None
    if detected == "docm":
        raise ValidationError({"file": _("Word documents with macros are not accepted; save it as a plain .docx.")})
    if detected is None or detected not in kinds:
        message = _("This file is not a %(kinds)s document, whatever its name says.") \
            if set(kinds) <= set(DOCUMENTS) else _("This file is not a %(kinds)s file, whatever its name says.")
        raise ValidationError({"file": message % {"kinds": _listed(kinds)}})
    if detected != extension:
        raise ValidationError({"file": _("The file's content is %(detected)s but its name ends in .%(extension)s; "
                                         "rename it or upload the right file.")
                                       % {"detected": detected.upper(), "extension": extension}})
    return detected


def download_name(title: str, file_type: str) -> str:
    """A plain, safe file name for Content-Disposition, built from the resource's title."""
    stem = "".join(c if c.isalnum() or c in " -_" else " " for c in title)
    stem = "-".join(stem.split())[:80] or "resource"
    return f"{stem}.{file_type}"


def serve_download(request: HttpRequest, file: File, *, content_type: str, filename: str) -> FileResponse:
    """A checked upload as a download: its checked type, never rendered in the browser, never sniffed."""
    response = file_response(request, file, as_attachment=True, content_type=content_type, filename=filename)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Pictures: avatars and organisation logos -----------------------------------------------------

IMAGE_MAX_BYTES = 5 * 1024 * 1024
# Width x height a picture may declare before it is decoded: a small file can claim a huge canvas.
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}


def _sniff_image(head: bytes) -> str | None:
    for magic, kind in IMAGE_TYPES.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(upload: UploadedFile, *, field: str = "picture") -> str:
    """Return the picture's type ("png", "jpeg", "gif" or "webp") read from its content, or raise a
    ValidationError on `field`. The name and the browser's content type are not trusted."""
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError({field: _("The picture is %(size)s, larger than allowed: the limit is %(limit)s.")
                               % {"size": _readable(upload.size), "limit": _readable(IMAGE_MAX_BYTES)}})
    upload.seek(0)
    kind = _sniff_image(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError({field: _("This file is not a PNG, JPEG, GIF or WebP picture, whatever its name says.")})
    return kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one form input, as a list (empty when none); the service checks each one's content
    and size (check_upload) and their number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
