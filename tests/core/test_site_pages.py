"""The site's identity on every page: logo, header search, footer pages staff edit without a deploy, Open Graph
cards for shared links, breadcrumbs, and one design system whose colours pass AA contrast."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import FOOTER_PAGES, Page
from tests.hostile import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", FOOTER_PAGES)
def test_every_footer_page_exists_with_real_text_and_is_linked_from_every_page(client, slug):
    url = reverse(f"core:page-{slug}")
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home
    response = client.get(url)
    assert response.status_code == 200
    page = Page.objects.get(slug=slug)
    body = response.content.decode()
    assert f"<h1>{page.title}</h1>" in body
    assert len(page.body_html) > 800, "a real page, not a placeholder"
    assert "lorem" not in page.body.lower() and "coming soon" not in page.body.lower()
    assert f'<meta name="description" content="{page.summary}">' in body


def test_no_footer_page_prints_an_email_address():
    for page in Page.objects.all():
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", page.body), page.slug


def test_staff_edit_a_page_in_the_admin_and_the_site_shows_it_at_once(client, staff):
    client.force_login(staff)
    page = Page.objects.get(slug="contact")
    response = client.post(reverse("admin:core_page_change", args=[page.pk]), {
        "title": "Contact the team", "slug": "contact", "summary": "How to reach us.",
        "body": "Write to us **through the forum**.\n\n<script>alert(1)</script>",
    })
    assert response.status_code == 302
    shown = client.get(reverse("core:page-contact")).content.decode()
    assert "<h1>Contact the team</h1>" in shown
    assert "<strong>through the forum</strong>" in shown
    assert "<script>alert(1)" not in shown
    page.refresh_from_db()
    assert page.updated_by == staff


def test_a_page_staff_add_has_its_own_address(client, staff):
    from core.services import save_page

    save_page(page=Page(slug="partners", title="Our partners", summary="Who supports us.", body="The *funders*."),
              actor=staff)
    response = client.get("/pages/partners/")
    assert response.status_code == 200
    assert "<em>funders</em>" in response.content.decode()
    assert client.get("/pages/nothing-here/").status_code == 404


@pytest.mark.parametrize("someone", ["visitor", "member", "moderator"])
def test_only_staff_reach_the_page_editor(client, someone, request):
    if someone != "visitor":
        client.force_login(request.getfixturevalue(someone))
    page = Page.objects.get(slug="about")
    response = client.post(reverse("admin:core_page_change", args=[page.pk]), {
        "title": "Defaced", "slug": "about", "summary": "x", "body": "x"})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == "About Crossroads"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_page_text_is_shown_inert(client, staff, payload):
    from core.services import save_page
    from tests.hostile import assert_inert

    save_page(page=Page(slug="hostile", title=payload[:150], summary=payload, body=payload), actor=staff)
    body = client.get("/pages/hostile/").content.decode()
    assert_inert(body)


def test_every_page_has_the_logo_the_header_search_and_a_share_card(client, settings):
    settings.SITE_URL = "https://crossroads.example.org"
    body = client.get(reverse("directory:practices")).content.decode()
    assert 'src="/static/img/logo-mark.svg"' in body
    assert 'role="search"' in body and f'action="{reverse("directory:search")}"' in body
    assert '<meta property="og:image" content="https://crossroads.example.org/static/img/og-card.png">' in body
    assert '<meta property="og:url" content="https://crossroads.example.org/practices/">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    for name in ("logo-mark.svg", "wordmark.svg", "og-card.png"):
        assert (Path(settings.BASE_DIR) / "static" / "img" / name).stat().st_size > 300


def test_deep_pages_show_breadcrumbs_back_to_home(client):
    body = client.get(reverse("core:page-privacy")).content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>' \
           '<li aria-current="page">Privacy</li></ol></nav>' in body


# --- The design system -------------------------------------------------------------------------------

CSS = Path(settings.BASE_DIR) / "static" / "css"


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", (CSS / "site.css").read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", root))


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "card"), ("ink", "bg"), ("ink", "subtle"), ("muted", "card"), ("muted", "bg"), ("muted", "subtle"),
    ("accent", "card"), ("accent", "bg"), ("accent", "accent-soft"), ("accent-ink", "accent"),
    ("accent-ink", "accent-strong"), ("ok", "card"), ("ok", "ok-soft"), ("warn", "card"), ("warn", "warn-soft"),
    ("bad", "card"), ("bad", "bad-soft"), ("ink", "ok-soft"), ("ink", "warn-soft"), ("ink", "bad-soft"),
])
def test_the_colour_tokens_pass_wcag_aa_for_normal_text(text, background):
    colours = tokens()
    assert contrast(colours[text], colours[background]) >= 4.5, f"--{text} on --{background}"


def test_the_initials_colours_pass_aa_with_white_text():
    css = (CSS / "site.css").read_text()
    hues = re.findall(r"\.face-hue-\d \{ background: (#[0-9a-f]{6}); \}", css)
    assert len(hues) == 8
    for hue in hues:
        assert contrast("#ffffff", hue) >= 4.5, hue


def test_no_template_carries_an_inline_style_or_script():
    templates = Path(settings.BASE_DIR) / "templates"
    # Mail bodies are never served as pages, and mail clients ignore stylesheets: their styles are inline.
    mails = templates / "account" / "email"
    for path in templates.rglob("*.html"):
        if mails in path.parents:
            continue
        text = path.read_text()
        assert not re.search(r"\sstyle\s*=", text), f"{path}: inline style (the CSP refuses it)"
        assert "<style" not in text, f"{path}: <style> element (the CSP refuses it)"
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text), f"{path}: inline script"


def test_a_search_that_finds_nothing_says_what_to_try_next(client):
    body = client.get("/search/?q=zzzxxqqnothing").content.decode()
    assert 'data-testid="empty-state"' in body and "Nothing matches your search." in body
    assert 'href="/practices/"' in body


def test_an_empty_filtered_list_offers_to_clear_the_filters(client):
    body = client.get("/practices/?country=FJ").content.decode()
    assert "No practice matches these filters." in body
    assert '<a class="button secondary" href="/practices/">Clear the filters</a>' in body
    body = client.get("/events/?q=zzzxxqq").content.decode()
    assert "No upcoming event matches these filters." in body and "Clear the filters" in body


def test_an_empty_list_without_filters_says_how_to_fill_it(client, member):
    client.force_login(member)
    body = client.get("/practices/").content.decode()
    assert "No practice is published yet." in body
    assert f'href="{reverse("directory:practice-create")}">Share a practice</a>' in body
