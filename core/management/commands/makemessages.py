"""Django's makemessages (`make messages`), without msgmerge's fuzzy guesses.

msgmerge would pre-fill a new message with the translation of a similar old one ("Search the forums" with
the translation of "Search") and flag it fuzzy; such a guess is wrong more often than not and waits in every
catalogue for a translator to undo it. A new message arrives empty instead, and the completeness test
(tests/core/test_translations.py) names it until it is translated.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
