"""Checks on uploaded documents (library files, event attachments): the type is read from the content,
never trusted from the name or browser.

Accepted: PDF, DOCX and ODT, up to settings.UPLOAD_MAX_BYTES. The extension must agree with the content,
and Word files carrying macros are refused, so what a reader downloads is what the platform says it is.
"""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _sniff(upload: UploadedFile) -> str | None:
    """The file's real type from its first bytes and, for zip containers, their inventory."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return "docm"
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _readable(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def check_upload(upload: UploadedFile) -> str:
    """Return the file's type ("pdf", "docx" or "odt") or raise a ValidationError on the `file` field."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": "The file is empty."})
    if upload.size > limit:
        raise ValidationError({"file": f"The file is {_readable(upload.size)}, larger than allowed: "
                                       f"the limit is {_readable(limit)}."})
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        raise ValidationError({"file": "Upload a PDF, DOCX or ODT file (the name ends in .pdf, .docx or .odt)."})
    detected = _sniff(upload)
    if detected == "docm":
        raise ValidationError({"file": "Word documents with macros are not accepted; save it as a plain .docx."})
    if detected is None:
        raise ValidationError({"file": "This file is not a PDF, DOCX or ODT document, whatever its name says."})
    if detected != extension:
        raise ValidationError({"file": f"The file's content is {detected.upper()} but its name ends in "
                                       f".{extension}; rename it or upload the right file."})
    return detected


def download_name(title: str, file_type: str) -> str:
    """A plain, safe file name for Content-Disposition, built from the resource's title."""
    stem = "".join(c if c.isalnum() or c in " -_" else " " for c in title)
    stem = "-".join(stem.split())[:80] or "resource"
    return f"{stem}.{file_type}"
