"""Every URL is either explicitly public or refuses a visitor.

The walk covers every pattern Django knows, pages and API alike, so a new view that forgets its
login or permission check fails here before it ships. A public URL is named below, on purpose.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Names (with their namespace) that a visitor may open. Sections by app, so that each app adds its own.
PUBLIC_URL_NAMES = {
    # core
    "core:home", "core:health", "core:favicon", "core:jsi18n", "api-schema", "api-docs", "admin:login", "admin:logout",
    # the footer's pages and the pictures of members and organisations (random, unguessable names)
    "core:page", "core:page-about", "core:page-privacy", "core:page-terms", "core:page-accessibility",
    "core:page-contact", "core:picture",
    # accounts (allauth's entrance pages, then ours)
    "account_login", "account_signup", "account_logout", "account_reset_password",
    "account_reset_password_done", "account_reset_password_from_key", "account_reset_password_from_key_done",
    "account_confirm_email", "account_email_verification_sent", "account_inactive",
    "account_login_code_confirm", "account_confirm_login_code", "account_request_login_code",
    "account_reauthenticate", "mfa_authenticate",
    "account_signup_by_passkey", "mfa_login_webauthn", "mfa_signup_webauthn", "mfa_trust",
    "account_confirm_password_reset_code", "account_password_reset_code", "account_complete_password_reset",
    "account_reset_password_code",
    "accounts:profile", "accounts:organisation",
    # directory
    "directory:organisations", "directory:organisations-csv", "directory:practices", "directory:practices-csv",
    "directory:practice", "directory:practice-history", "directory:practice-revision", "directory:resources",
    "directory:resources-csv", "directory:resource", "directory:resource-file", "directory:search",
    "api-organisations", "api-organisation", "api-practices", "api-practice", "api-resources", "api-resource",
    # events
    "events:list", "events:calendar", "events:feed", "events:personal-feed", "events:ics", "events:detail",
    "events:attachment", "api-events", "api-event", "events:session-ics", "events:verify-certificate",
    # forums
    "forums:categories", "forums:search", "forums:category", "forums:topic", "forums:post", "forums:attachment",
    "api-forum-categories", "api-forum-topics", "api-forum-topic", "api-forum-posts", "api-forum-search",
    # chat
    # moderation: the old addresses under /forums/moderation/ only redirect to the pages, which check
    "old-queue", "old-report-resolve", "old-log", "old-member",
    # expertise (a request and its documents answer 404 or send a visitor to log in when not public)
    "expertise:list", "expertise:request", "expertise:attachment", "api-requests", "api-request",
    "api-suggestions", "api-outcome",
}

SAMPLE_VALUES = {"int": "1", "slug": "sample", "str": "sample", "uuid": str(uuid.uuid4()), "path": "sample/x"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None


def _sample_path(route: str) -> str:
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "sample"), route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "sample", route)  # regex groups
    route = re.sub(r"\\\.", ".", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("?", "")
    route = re.sub(r"\(\.(\w+)\)", r"", route)
    return "/" + route


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r[0])


def test_the_walk_finds_the_platform_urls():
    names = {name for _, name in ALL_ROUTES}
    assert {"core:home", "accounts:dashboard", "accounts:organisation-members", "api-me"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_ROUTES, ids=[r for r, _ in ALL_ROUTES])
def test_every_url_is_public_or_refuses_a_visitor(client, route, name):
    path = _sample_path(route)
    if route.startswith("admin/") and name not in PUBLIC_URL_NAMES:
        response = client.get(path)
        assert response.status_code in (302, 404), f"{path} answered {response.status_code}"
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
        return
    response = client.get(path, headers={"accept": "text/html"})
    if name in PUBLIC_URL_NAMES:
        assert response.status_code < 500, f"public {path} failed with {response.status_code}"
        return
    # A page sends a visitor to log in and back; only the API answers a bare 401/403.
    refusals = (302, 401, 403, 405) if route.startswith("api/") else (302, 405)
    assert response.status_code in refusals, (
        f"{path} ({name}) answered {response.status_code} to a visitor: add a login or permission "
        "check, or put its name on PUBLIC_URL_NAMES if it is meant to be public"
    )
    if response.status_code == 302:
        assert response["Location"].startswith(("/accounts/login/", "http://testserver/accounts/login/")), (
            f"{path} redirected a visitor to {response['Location']} instead of the log-in page"
        )
    if response.status_code == 405:
        # A POST-only URL must still refuse a visitor's POST.
        post = client.post(path)
        assert post.status_code in (302, 401, 403), f"{path} accepted a visitor's POST ({post.status_code})"
