"""The API's one error body (core.errors): every test that expects a refusal reads it through these."""


def error_of(response, status: int) -> dict:
    """Assert the status and the one error shape; return the error ({"code", "message", "fields"?})."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


def error_fields(response) -> dict[str, list[str]]:
    """The fields a 400 names, with their messages."""
    return error_of(response, 400).get("fields", {})
