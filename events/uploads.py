"""Checking an uploaded event document: an allowed type by its name AND its first bytes, within the size limit.

Allowed: PDF, Word (.docx) and OpenDocument text (.odt). The extension alone is not trusted: a PDF
starts with "%PDF-", .docx and .odt are ZIP containers starting with "PK\\x03\\x04".
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

ALLOWED = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".odt": (b"PK\x03\x04", "application/vnd.oasis.opendocument.text"),
}


def check_upload(upload: UploadedFile) -> str:
    """Return the content type to serve the file with; raise ValidationError naming the `file` field."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError({"file": ["Upload a PDF, Word (.docx) or OpenDocument (.odt) file."]})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": [f"The file is larger than {limit} MB."]})
    if upload.size == 0:
        raise ValidationError({"file": ["The file is empty."]})
    magic, content_type = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError({"file": [f"The file's content is not a {suffix[1:].upper()} document."]})
    return content_type
