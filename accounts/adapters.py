"""allauth hooks: refuse a suspended member at log-in, with the reason they need to see."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        if getattr(user, "is_suspended", False):
            until = timezone.localtime(user.suspended_until).strftime("%d %B %Y %H:%M %Z")
            messages.error(request, f"Your account is suspended until {until}: "
                                    f"{user.suspension_reason or 'no reason was given'}.")
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
