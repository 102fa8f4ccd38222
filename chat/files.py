"""Files sent with chat messages: checked by content with the platform's upload checker, images given a
thumbnail made here with Pillow, and the same checks whether the file came over HTTP or the socket.

A socket frame carries its files as `{"name": ..., "data": <base64>}`; they become ordinary uploaded
files here, so chat.services.send_message sees one kind of file whatever the transport.
"""

import base64
import binascii
import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from chat.models import MAX_FILE_NAME_LENGTH
from core.uploads import DOCUMENTS, IMAGES, check_upload

KINDS = DOCUMENTS + IMAGES
THUMBNAIL_BOX = (480, 480)
# An image larger than this many pixels is refused before it is decoded: a small file can unpack to gigabytes.
MAX_IMAGE_PIXELS = 40_000_000


def clean_name(name: str) -> str:
    """The sender's file name without any folder part or control characters, cut to fit."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable()).strip() or "file"
    if len(base) > MAX_FILE_NAME_LENGTH:
        suffix = PurePath(base).suffix[:10]
        base = base[:MAX_FILE_NAME_LENGTH - len(suffix)] + suffix
    return base


def check_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each file with its type read from the content; a ValidationError on `files` names what to fix."""
    if len(files) > settings.CHAT_MAX_FILES:
        raise ValidationError({"files": ValidationError(
            _("Attach at most %(count)d files to a message.") % {"count": settings.CHAT_MAX_FILES},
            code="too_many")})
    checked = []
    for upload in files:
        try:
            kind = check_upload(upload, kinds=KINDS, limit=settings.CHAT_FILE_MAX_BYTES)
        except ValidationError as error:
            reason = " ".join(error.message_dict.get("file", error.messages))
            raise ValidationError({"files": ValidationError(
                _("%(name)s: %(reason)s") % {"name": clean_name(upload.name or ""), "reason": reason},
                code="invalid_file")}) from None
        checked.append((upload, kind))
    return checked


def thumbnail(upload: UploadedFile) -> tuple[ContentFile, int, int]:
    """A WebP thumbnail of the image (turned upright, metadata dropped) and the image's own size."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError({"files": ValidationError(
                    _("%(name)s: the image is too large (%(width)d × %(height)d pixels).")
                    % {"name": clean_name(upload.name or ""), "width": width, "height": height},
                    code="invalid_file")})
            image.load()
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_BOX)
            if small.mode not in ("RGB", "RGBA"):
                small = small.convert("RGBA")
            out = io.BytesIO()
            small.save(out, format="WEBP", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError({"files": ValidationError(
            _("%(name)s: the image cannot be read; it may be damaged.") % {"name": clean_name(upload.name or "")},
            code="invalid_file")}) from None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name="thumbnail.webp"), width, height


def files_from_frame(value: object) -> list[UploadedFile]:
    """The files of a socket frame (`[{"name": ..., "data": <base64>}, ...]`) as uploaded files."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError({"files": ValidationError(
            _("Send files as a list of objects with a name and base64 data."), code="invalid")})
    if len(value) > settings.CHAT_MAX_FILES:
        raise ValidationError({"files": ValidationError(
            _("Attach at most %(count)d files to a message.") % {"count": settings.CHAT_MAX_FILES},
            code="too_many")})
    uploads = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("data"), str):
            raise ValidationError({"files": ValidationError(
                _("Each file needs a \"name\" and its content as base64 \"data\"."), code="invalid")})
        try:
            content = base64.b64decode(item["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"files": ValidationError(
                _("The data of %(name)s is not valid base64.") % {"name": clean_name(item["name"])},
                code="invalid")}) from None
        uploads.append(SimpleUploadedFile(clean_name(item["name"]), content))
    return uploads


def readable_size(size: int) -> str:
    if size >= 1_048_576:
        return _("%(size)s MB") % {"size": number_format(size / 1_048_576, 1)}
    if size >= 1024:
        return _("%(size)d KB") % {"size": round(size / 1024)}
    return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
