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


def frame_error(frame: dict) -> dict:
    """Assert a WebSocket error frame carries the API's one error body; return the error."""
    assert frame["type"] == "error" and set(frame) <= {"type", "error", "client_id"}, frame
    assert {"code", "message"} <= set(frame["error"]), frame
    return frame["error"]


def frame_fields(frame: dict) -> set[str]:
    """The fields an "invalid" error frame names."""
    error = frame_error(frame)
    assert error["code"] == "invalid", frame
    return set(error["fields"])
