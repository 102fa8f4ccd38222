"""Set-up for chat tests, through the real services."""

from django.test import Client

from accounts.models import User
from chat import services
from chat.models import Conversation, Message


def logged_in(user: User, *, csrf: bool = False) -> Client:
    """A browser logged in as `user` (with `csrf`, one that checks CSRF tokens as a real browser's requests do)."""
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def direct(first: User, second: User) -> Conversation:
    return services.open_direct_conversation(user=first, other=second)


def group(creator: User, *members: User, title: str = "Youth participation network") -> Conversation:
    return services.create_group_conversation(creator=creator, title=title, members=members)


def say(sender: User, conversation: Conversation, *bodies: str) -> list[Message]:
    return [services.send_message(sender=sender, conversation=conversation, body=body) for body in bodies]


def png_bytes(size: tuple[int, int] = (64, 48), colour: str = "teal") -> bytes:
    """A real PNG image, made with Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
