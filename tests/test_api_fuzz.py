"""The API against its own OpenAPI schema, as a logged-in member: no input may make it answer 5xx.

schemathesis generates requests for every operation the schema names (bounded: a few examples each),
and then every query parameter and body field gets each hand-made hostile value (tests/hostile.py).
PostgreSQL only (the first CI pass): it refuses what SQLite lets through (NUL, bigint overflow).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import RequestFactory
from hypothesis import HealthCheck, Phase, given, settings
from werkzeug.test import Client as WerkzeugClient

from config.wsgi import application
from tests import factories
from tests.chat.helpers import direct
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.hostile import API_HOSTILE_VALUES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES_PER_OPERATION = 5
DEEP = 2_000


@pytest.fixture
def member_headers(client):
    """A member of an organisation with some data around, logged in, with a CSRF token, as a browser would be."""
    member = author_with_organisation()
    make_practice(author=member, status="published")
    make_resource()
    direct(member, factories.UserFactory())
    client.force_login(member)
    request = RequestFactory().get("/")
    token = get_token(request)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
            "X-CSRFToken": token, "Origin": "http://testserver", "Referer": "http://testserver/"}


@pytest.fixture
def schema():
    # Django closes the database connection after each request; in a test that would end the test's
    # transaction. Django's test client turns that off around its requests; schemathesis calls the WSGI app.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _server_errors(case, headers) -> list[str]:
    response = case.call(headers=headers)
    if response.status_code >= 500:
        return [f"{response.status_code} {case.method} {case.formatted_path} query={case.query!r} "
                f"body={str(case.body)[:200]!r}: {response.text[:300]}"]
    return []


def test_generated_requests_never_get_a_5xx(schema, member_headers):
    failures: list[str] = []
    for operation in _operations(schema):

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            failures.extend(_server_errors(case, member_headers))

        check()
    assert not failures, "\n".join(failures)


def _parameters(operation) -> tuple[list[str], list[str], dict]:
    """The operation's query parameters, JSON body fields, and path parameters with a harmless value."""
    definition = operation.definition.raw
    query = [p["name"] for p in definition.get("parameters", []) if p.get("in") == "query"]
    path = {p["name"]: "1" for p in definition.get("parameters", []) if p.get("in") == "path"}
    body: list[str] = []
    content = definition.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        if "$ref" in schema:
            schema = operation.schema.raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        body = list(schema.get("properties", {}))
    return query, body, path


def test_hostile_values_in_every_parameter_and_field_never_get_a_5xx(schema, member_headers):
    raw = WerkzeugClient(application)  # for bodies too deep for any JSON encoder
    failures: list[str] = []
    tried = 0
    for operation in _operations(schema):
        query, body, path = _parameters(operation)
        for name in query:
            for value in API_HOSTILE_VALUES:
                if isinstance(value, (dict, list)):
                    value = json.dumps(value)
                elif isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value):
                    # No URL holds a lone surrogate as text: a client sends its UTF-8-like bytes (%ED%A0%80).
                    value = value.encode("utf-8", "surrogatepass")
                case = operation.Case(path_parameters=path, query={name: value}, media_type="application/json")
                failures += _server_errors(case, member_headers)
                tried += 1
        for name in body:
            for value in API_HOSTILE_VALUES:
                case = operation.Case(path_parameters=path, body={name: value}, media_type="application/json")
                failures += _server_errors(case, member_headers)
                tried += 1
            # Too deep for a client to encode: sent as text.
            url = operation.path.format(**path)
            response = raw.open(url, method=operation.method.upper(), headers=member_headers,
                                data=f'{{"{name}": ' + "[" * DEEP + "]" * DEEP + "}", content_type="application/json")
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {operation.method} {url} with {name} nested {DEEP} deep")
            tried += 1
    assert tried > 500, f"only {tried} hostile requests: the schema's parameters were not found"
    assert not failures, "\n".join(failures)
