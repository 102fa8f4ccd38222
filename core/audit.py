"""The audit log: every privileged action leaves an append-only row (core.models.AuditEntry) — who, when,
what, on which object, from which address — written by the service that acts, in its transaction.

Services do not see the request, so AuditMiddleware keeps the client's address for the request's duration
and `record` reads it (None outside a request: commands, tasks, tests calling services directly).
"""

from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.text import Truncator

from core.models import AuditEntry

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def record(*, actor: Model | None, action: str, target: Model | None, label: str = "",
           details: dict | None = None) -> AuditEntry:
    """Write one audit row; call it inside the transaction of the action it records."""
    return AuditEntry.objects.create(
        actor=actor, actor_label=Truncator(str(actor) if actor is not None else "the platform").chars(200),
        action=action[:60],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=Truncator(label or str(target or "")).chars(300),
        ip_address=_client_ip.get(), details=details or {},
    )


class AuditMiddleware:
    """Keeps the client's address (REMOTE_ADDR, which the trusted proxy setting already made the client's)
    for `record`, for this request only."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
