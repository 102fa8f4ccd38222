"""Demo conversations: direct ones between members in different cities and the "Youth participation network" group.

Written through the services. Idempotent: a direct conversation is reused and only filled when empty,
and the group is found by its title, so a second run adds nothing.
"""

from accounts.models import User
from chat import services
from chat.models import Conversation

OFFICIAL = "official@demo.crossroads.example"  # Amina Haddad, Vienna
NGO = "ngo@demo.crossroads.example"  # Lukas Becker, Berlin
ADMIN = "admin@demo.crossroads.example"  # Sofia Marino, Milan
MODERATOR = "moderator@demo.crossroads.example"  # Jonas Lindqvist, Stockholm

DIRECT = [
    (OFFICIAL, NGO, [
        (OFFICIAL, "Hi Lukas, I read about your mentoring scheme in Berlin. Do mentors get any training?"),
        (NGO, "Hi Amina! Yes, two evenings before they start, then a monthly peer meeting."),
        (NGO, "Our handbook is online: https://example.org/welcome-bridges/mentor-handbook"),
        (OFFICIAL, "Thank you, that is exactly what Vienna's job café volunteers need."),
    ]),
    (ADMIN, OFFICIAL, [
        (ADMIN, "Amina, are you coming to the roundtable on housing advice next month?"),
        (OFFICIAL, "I am. Could Milan share how the one-stop shop handles residence permits?"),
        (ADMIN, "Gladly. I will bring our caseworkers' checklist."),
    ]),
    (NGO, MODERATOR, [
        (NGO, "Jonas, is it fine to post our volunteer call in the employment forum?"),
        (MODERATOR, "Yes, as long as it is a single topic and you keep it updated. Thanks for asking!"),
    ]),
]

GROUP_TITLE = "Youth participation network"
GROUP_MEMBERS = [OFFICIAL, NGO, "member05@demo.crossroads.example", "member12@demo.crossroads.example"]
GROUP_MESSAGES = [
    (ADMIN, "Welcome to the youth participation network! Milan's youth council elects its members in May."),
    (OFFICIAL, "Vienna runs a youth budget: 16 to 24 year-olds decide on 100,000 euros of projects."),
    (NGO, "In Berlin we pair young newcomers with a buddy for their first council meeting."),
]


def _users(emails: list[str]) -> dict[str, User]:
    return {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}


def build(stdout=None) -> None:
    emails = {OFFICIAL, NGO, ADMIN, MODERATOR, *GROUP_MEMBERS}
    users = _users(sorted(emails))
    for first, second, lines in DIRECT:
        if first not in users or second not in users:
            continue
        conversation = services.open_direct_conversation(user=users[first], other=users[second])
        if conversation.last_message_id is None:
            for sender, body in lines:
                services.send_message(sender=users[sender], conversation=conversation, body=body)

    if ADMIN not in users or Conversation.objects.filter(kind=Conversation.Kind.GROUP, title=GROUP_TITLE).exists():
        return
    conversation = services.create_group_conversation(
        creator=users[ADMIN], title=GROUP_TITLE, members=[users[e] for e in GROUP_MEMBERS if e in users])
    for sender, body in GROUP_MESSAGES:
        services.send_message(sender=users[sender], conversation=conversation, body=body)
