"""Avatars and organisation logos: checked by content, redrawn in two sizes without metadata, shown everywhere
through one template tag, with initials on a name-derived colour when there is no picture."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from accounts import services
from accounts.models import Organisation, User
from core import images
from core.templatetags.faces import hue, initials
from core.uploads import IMAGE_MAX_BYTES
from tests import factories
from tests.hostile import XSS_PAYLOADS
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(width=640, height=480) -> bytes:
    """A photo as a phone takes it: EXIF with a GPS position and a camera model."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone 12"  # Model
    exif[0x8825] = {1: "N", 2: (48.0, 12.0, 30.0), 3: "E", 4: (16.0, 22.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def png(width=300, height=100, colour=(0, 90, 170, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def png_bomb() -> bytes:
    """A valid PNG header declaring 100,000 x 100,000 pixels, in a few dozen bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def upload(data: bytes, name="picture.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored(folder: str, key: str, pixels: int) -> Image.Image:
    with default_storage.open(f"{folder}/{key}-{pixels}.webp", "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_an_avatar_is_stored_in_two_square_sizes_without_the_photos_metadata(member):
    services.set_avatar(user=member, upload=upload(jpeg_with_gps()))
    member.refresh_from_db()
    assert re.fullmatch(r"[0-9a-f]{32}", member.avatar)
    for pixels in images.SIZES.values():
        image = stored("avatars", member.avatar, pixels)
        assert image.format == "WEBP"
        assert image.size == (pixels, pixels)
        assert not image.getexif(), "EXIF (GPS position, camera) must not survive"
        assert "icc_profile" not in image.info and "exif" not in image.info and "xmp" not in image.info
    with default_storage.open(f"avatars/{member.avatar}-256.webp", "rb") as handle:
        raw = handle.read()
    assert b"Secret Phone" not in raw and b"taken at home" not in raw


def test_a_logo_is_kept_whole_on_a_transparent_square(org_admin, organisation):
    services.set_organisation_logo(actor=org_admin, organisation=organisation, upload=upload(png(300, 100), "l.png"))
    organisation.refresh_from_db()
    image = stored("logos", organisation.logo, 256).convert("RGBA")
    assert image.size == (256, 256)
    assert image.getpixel((128, 5))[3] == 0, "the band above a wide logo is transparent, not cropped"
    red, green, blue, alpha = image.getpixel((128, 128))
    assert alpha == 255 and abs(red - 0) + abs(green - 90) + abs(blue - 170) < 8, "the logo itself is in the middle"


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"%PDF-1.7 not a picture", "me.png", "not a PNG, JPEG, GIF or WebP picture"),
    (b"<svg onload=alert(1)></svg>", "me.svg", "not a PNG, JPEG, GIF or WebP picture"),
    (b"", "me.png", "empty"),
    (png_bomb(), "bomb.png", "at most 40 million pixels"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "broken.png", "cannot be read"),
])
def test_the_profile_form_refuses_what_is_not_a_usable_picture_and_says_why(client, member, data, name, message):
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {
        "full_name": "Mia Member", "timezone": "Europe/Vienna", "language": "en",
        "profile_visibility": "public", "email_notifications": "each",
        "avatar": SimpleUploadedFile(name, data, content_type="image/png"),
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.avatar == ""


def test_too_large_a_picture_is_refused_before_it_is_decoded(member):
    big = upload(b"\xff\xd8\xff" + b"\0" * IMAGE_MAX_BYTES)
    with pytest.raises(ValidationError, match="larger than allowed"):
        services.set_avatar(user=member, upload=big)


def test_a_member_uploads_an_avatar_and_sees_it_on_the_profile_and_in_the_header(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {
        "full_name": "Mia Member", "timezone": "Europe/Vienna", "language": "en",
        "profile_visibility": "public", "email_notifications": "each", "avatar": upload(jpeg_with_gps()),
    })
    assert response.status_code == 302
    member.refresh_from_db()
    page = client.get(member.get_absolute_url()).content.decode()
    small = reverse("core:picture", args=["avatars", f"{member.avatar}-96.webp"])
    large = reverse("core:picture", args=["avatars", f"{member.avatar}-256.webp"])
    assert f'src="{large}"' in page, "the profile shows the large picture"
    assert f'src="{small}"' in page, "the header shows the small one"
    picture = client.get(large)
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/webp"
    assert "immutable" in picture["Cache-Control"]


def test_removing_the_avatar_deletes_its_files_and_brings_back_the_initials(
        client, member, django_capture_on_commit_callbacks):
    services.set_avatar(user=member, upload=upload(jpeg_with_gps()))
    member.refresh_from_db()
    key = member.avatar
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile-edit"), {
            "full_name": "Mia Member", "timezone": "Europe/Vienna", "language": "en",
            "profile_visibility": "public", "email_notifications": "each", "remove_avatar": "on",
        })
    member.refresh_from_db()
    assert member.avatar == ""
    assert not default_storage.exists(f"avatars/{key}-96.webp")
    page = client.get(member.get_absolute_url()).content.decode()
    assert '>MM</span>' in page


def test_replacing_a_logo_deletes_the_old_files(org_admin, organisation, django_capture_on_commit_callbacks):
    services.set_organisation_logo(actor=org_admin, organisation=organisation, upload=upload(png(), "a.png"))
    old = organisation.logo
    with django_capture_on_commit_callbacks(execute=True):
        services.set_organisation_logo(actor=org_admin, organisation=organisation, upload=upload(png(), "b.png"))
    assert organisation.logo != old
    assert not default_storage.exists(f"logos/{old}-256.webp")
    assert default_storage.exists(f"logos/{organisation.logo}-256.webp")


def test_only_the_organisations_admins_change_its_logo(client, organisation, org_admin, member, outsider, moderator):
    url = reverse("accounts:organisation-edit", args=[organisation.slug])
    form = {"name": organisation.name, "kind": "ngo", "country": "AT", "city": "Vienna", "level": "local"}
    plain = factories.UserFactory()
    factories.MembershipFactory(user=plain, organisation=organisation)
    assert client.post(url, {**form, "logo": upload(png(), "l.png")}).status_code == 302  # visitor: to log-in
    for someone in (outsider, plain, moderator):
        client.force_login(someone)
        assert client.post(url, {**form, "logo": upload(png(), "l.png")}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.logo == ""
    client.force_login(org_admin)
    assert client.post(url, {**form, "logo": upload(png(), "l.png")}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo
    listing = client.get(reverse("directory:organisations")).content.decode()
    assert reverse("core:picture", args=["logos", f"{organisation.logo}-96.webp"]) in listing


def test_a_new_organisation_can_start_with_its_logo(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:organisation-create"), {
        "name": "Logo Town", "kind": "municipality", "country": "FR", "city": "Lyon", "level": "local",
        "logo": upload(png(), "logo.png"),
    })
    assert response.status_code == 302
    assert Organisation.objects.get(name="Logo Town").logo


@pytest.mark.parametrize("name", ["../../etc/passwd", "x" * 32 + "-96.webp", "0" * 32 + "-97.webp",
                                  "0" * 32 + "-96.png", "0" * 32 + "-96.webp"])
def test_the_picture_address_serves_nothing_but_stored_pictures(client, name):
    assert client.get(f"/pictures/avatars/{name}").status_code == 404
    assert client.get("/pictures/documents/" + "0" * 32 + "-96.webp").status_code == 404


def test_initials_and_their_colour_come_from_the_name():
    assert initials("Amina Haddad") == "AH"
    assert initials("City of Vienna") == "CV"
    assert initials("Université de Lyon") == "UL"
    assert initials("madonna") == "M"
    assert initials("  ") == "?"
    assert hue("Amina Haddad") == hue("amina haddad ")
    assert len({hue(f"Person {n}") for n in range(50)}) == 8, "names spread over all eight colours"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_hostile_name_stays_inert_in_the_initials(payload):
    person = User(full_name=payload)
    html = Template('{% load faces %}{% avatar person "sm" %}').render(Context({"person": person}))
    assert "<script" not in html and "onerror" not in html and "<svg" not in html and "<img" not in html


def test_the_member_list_shows_faces_without_a_query_per_member(client, member, organisation):
    client.force_login(member)

    def add(n):
        for i in range(n):
            person = factories.UserFactory()
            factories.MembershipFactory(user=person, organisation=organisation)
            if i % 2:
                User.objects.filter(pk=person.pk).update(avatar="ab" * 16)

    assert_queries_do_not_grow(client, reverse("directory:people"), add)
    assert 'class="face face-md' in client.get(reverse("directory:people")).content.decode()


def test_staff_remove_an_offending_avatar_or_logo_in_the_admin(client, staff, member, org_admin, organisation,
                                                               django_capture_on_commit_callbacks):
    services.set_avatar(user=member, upload=upload(jpeg_with_gps()))
    services.set_organisation_logo(actor=org_admin, organisation=organisation, upload=upload(png(), "l.png"))
    member.refresh_from_db()
    organisation.refresh_from_db()
    avatar, logo = member.avatar, organisation.logo
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:accounts_user_changelist"),
                    {"action": "remove_avatar", "_selected_action": [member.pk]})
        client.post(reverse("admin:accounts_organisation_changelist"),
                    {"action": "remove_logo", "_selected_action": [organisation.pk]})
    member.refresh_from_db()
    organisation.refresh_from_db()
    assert member.avatar == "" and organisation.logo == ""
    assert not default_storage.exists(f"avatars/{avatar}-256.webp")
    assert not default_storage.exists(f"logos/{logo}-256.webp")
