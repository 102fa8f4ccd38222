"""static/js translates with gettext() from Django's JavaScriptCatalog, in the page's language."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_loads_the_catalogue_of_its_language_before_any_other_script(client):
    page = client.get("/", headers={"Accept-Language": "fr"}).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    catalogue = next(src for src in scripts if "/jsi18n/" in src)
    assert re.fullmatch(r"/jsi18n/fr\.js\?v=[0-9a-f]{12}", catalogue)
    own = [src for src in scripts if "/static/js/" in src]
    assert own and scripts.index(catalogue) < min(scripts.index(src) for src in own)


def test_the_catalogue_translates_the_scripts_strings_and_is_kept_by_browsers(client):
    response = client.get("/jsi18n/fr.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert json.dumps("Brouillon enregistré dans ce navigateur.") in response.content.decode()
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]
    arabic = client.get("/jsi18n/ar.js").content.decode()
    assert json.dumps("حُفظت المسودة في هذا المتصفح.") in arabic
    assert "Brouillon" not in arabic


def test_a_language_not_offered_has_no_catalogue(client):
    assert client.get("/jsi18n/de.js").status_code == 404
