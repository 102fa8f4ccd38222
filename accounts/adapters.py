"""allauth hooks: refuse a suspended member at log-in, with the reason they need to see; mail from a task."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.utils import timezone

from core.tasks import enqueue, send_mail


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        if getattr(user, "is_suspended", False):
            until = timezone.localtime(user.suspended_until).strftime("%d %B %Y %H:%M %Z")
            messages.error(request, f"Your account is suspended until {until}: "
                                    f"{user.suspension_reason or 'no reason was given'}.")
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (confirmation, password reset, security notices) are rendered here, where the
        request is at hand for their links, and sent by a background job, at most once."""
        message = self._render(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", [])
                     if mimetype == "text/html"), "")
        for address in message.to:
            enqueue(send_mail, reason=f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{secrets.token_hex(8)}",
                    to=address, subject=message.subject, body=message.body, html=html,
                    from_email=message.from_email, headers=message.extra_headers)

    def _render(self, template_prefix: str, email: str, context: dict):
        request = allauth_context.request
        # The site's name and address, not the host the request came in on ("Hello from 127.0.0.1:8101!").
        return self.render_mail(template_prefix, email, {"request": request, "email": email,
                                                         "current_site": get_current_site(request),
                                                         "site_name": settings.SITE_NAME,
                                                         "site_url": settings.SITE_URL, **context})
