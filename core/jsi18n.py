"""The translations static/js needs (gettext, ngettext, interpolate), as Django's JavaScriptCatalog per language.

base.html loads /jsi18n/<language>.js?v=<version> deferred, before every other script. The address names the
language and the catalogues' version, so a browser (and any proxy) keeps it for a year and a new deploy with
changed translations is fetched afresh.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog


@functools.cache
def catalogue_version() -> str:
    """Changes whenever a djangojs catalogue does (read once per process: catalogues change with a deploy)."""
    digest = hashlib.sha256()
    for path in sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/djangojs.po")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def catalogue_url(language: str) -> str:
    return f"{reverse('core:jsi18n', args=[language])}?v={catalogue_version()}"


@functools.cache
def _catalogue(language: str) -> bytes:
    request = HttpRequest()
    request.method = "GET"
    with translation.override(language):
        return JavaScriptCatalog.as_view(domain="djangojs")(request).content


@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def javascript_catalogue(request: HttpRequest, language: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("No such language."))
    return HttpResponse(_catalogue(language), content_type="text/javascript; charset=utf-8")
