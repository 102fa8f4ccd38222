"""Pictures of people and organisations: checked, re-drawn with Pillow, stored in two sizes.

An upload is sniffed by core.uploads.check_image, decoded with a pixel budget (a small file may declare a
huge canvas), turned upright from its EXIF orientation, and drawn afresh into two square WebP files. Nothing
of the original file survives: no EXIF (camera, GPS position), no ICC profile, no comments, no trailing bytes.

Each stored picture is named by a random key; a new upload gets a new key, so a browser may cache a picture
URL forever. The files live in the default storage under <folder>/<key>-<pixels>.webp and are served by
core.views.picture.
"""

import io
import re
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.uploads import IMAGE_MAX_PIXELS, check_image

# The two sizes kept: a small one for lists, posts and the header (shown at up to 48 CSS pixels on a
# 2x screen needs ~96, 64 keeps lists light) and a large one for profile and organisation pages.
SIZES = {"small": 96, "large": 256}
FOLDERS = ("avatars", "logos")
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def _decode(upload: UploadedFile, field: str) -> Image.Image:
    check_image(upload, field=field)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ValidationError({field: _("The picture is %(w)s × %(h)s pixels; it may have at most "
                                                "40 million pixels.") % {"w": image.width, "h": image.height}})
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError({field: _("The picture declares too many pixels; it may have at most 40 million "
                                        "pixels.")}) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError({field: _("This picture cannot be read; it may be damaged. Try another file.")}) \
            from exc
    finally:
        upload.seek(0)
    # Animated GIF/WebP: the first frame only.
    image.seek(0)
    return ImageOps.exif_transpose(image)


def _square(image: Image.Image, pixels: int, *, crop: bool) -> Image.Image:
    image = image.convert("RGBA")
    if crop:
        # A face: fill the square, cutting the longer side evenly.
        return ImageOps.fit(image, (pixels, pixels), method=Image.Resampling.LANCZOS)
    # A logo: keep all of it, centred on a transparent square.
    fitted = ImageOps.contain(image, (pixels, pixels), method=Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (pixels, pixels), (255, 255, 255, 0))
    canvas.paste(fitted, ((pixels - fitted.width) // 2, (pixels - fitted.height) // 2), fitted)
    return canvas


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh image carries no info dict: no exif=, icc_profile= or xmp= is passed, so none is written.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def store_picture(upload: UploadedFile, *, folder: str, crop: bool, field: str = "picture") -> str:
    """Check, resize and store an uploaded picture; return its key. Raises ValidationError on `field`."""
    if folder not in FOLDERS:
        raise ValueError(f"Unknown picture folder {folder!r}")
    image = _decode(upload, field)
    key = secrets.token_hex(16)
    for pixels in SIZES.values():
        default_storage.save(f"{folder}/{key}-{pixels}.webp", ContentFile(_encode(_square(image, pixels, crop=crop))))
    return key


def delete_picture(*, folder: str, key: str) -> None:
    if not key or not KEY_PATTERN.match(key):
        return
    for pixels in SIZES.values():
        default_storage.delete(f"{folder}/{key}-{pixels}.webp")


def picture_url(*, folder: str, key: str, size: str) -> str:
    return reverse("core:picture", args=[folder, f"{key}-{SIZES[size]}.webp"])
