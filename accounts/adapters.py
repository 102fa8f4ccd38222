"""allauth hooks: refuse a suspended member at log-in, with the reason they need to see; keep the language a
newcomer signs up in; mail from a task, in the recipient's language whoever's request sends it."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from core.recipients import moment, speaking_to
from core.tasks import enqueue, send_mail


def suspension_notice(user: User) -> str:
    """Why a suspended member cannot log in, and until when: in their language and their own time zone,
    the zone named."""
    with speaking_to(user):
        return gettext("Your account is suspended until %(until)s: %(reason)s.") % {
            "until": moment(user.suspended_until), "reason": user.suspension_reason or gettext("no reason was given")}


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        if getattr(user, "is_suspended", False):
            messages.error(request, suspension_notice(user))
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def save_user(self, request, user, form, commit=True):
        """A newcomer's language is the one they signed up in (the page's: their menu choice or their browser's),
        so their confirmation mail and everything after reach them in it."""
        language = translation.get_language()
        if language in {code for code, _name in settings.LANGUAGES}:
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (confirmation, password reset, security notices) are rendered here, where the
        request is at hand for their links, in the language of the member they go to (else the page's), and
        sent by a background job, at most once."""
        recipient = context.get("user") or User.objects.filter(email__iexact=email).first()
        if recipient is not None and getattr(recipient, "pk", None):
            with speaking_to(recipient):
                message = self._render(template_prefix, email, context)
        else:
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
