"""What chat offers the other apps through core.extensions (registered from ready()): the "chat.write_to"
action (events writes to its organisers with it; any app can open a direct or group conversation), and the
message and block buttons on a member's profile."""

from django.http import HttpRequest

from accounts.models import User
from chat import services
from core.extensions import ACTIONS, PAGE_SECTIONS, Section


def profile_section(request: HttpRequest, person: User) -> dict:
    return {"person": person}


def register() -> None:
    ACTIONS.register("chat.write_to", services.write_to)
    PAGE_SECTIONS.register("chat.message_button", Section("profile_actions", "chat/_profile_actions.html",
                                                          profile_section, order=10))
    PAGE_SECTIONS.register("chat.block_button", Section("profile_actions", "chat/block_button.html",
                                                        profile_section, order=30))
