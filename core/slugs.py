"""Unique slugs for every app: the first free one from a text, taken safely when two requests want it at once."""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify

ATTEMPTS = 5


def _candidates(base: str, reserved: frozenset[str]):
    if base not in reserved:
        yield base
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1


def save_with_unique_slug(obj: Model, text: str, *, fallback: str, max_length: int = 200,
                          reserved: frozenset[str] = frozenset(), field: str = "slug",
                          prepare: Callable[[Model], None] | None = None) -> Model:
    """Give the new `obj` the first free slug made from `text` (`fallback` when nothing is left of it),
    skipping `reserved` words, and insert it. `prepare(obj)` runs once the slug is set, before the insert
    (a stored file named after the slug).

    Checking first and inserting after leaves a moment in which another request can take the same slug;
    the unique index then refuses the second insert. That insert runs in a savepoint, so the refusal is
    caught and the next free slug tried, and the member never sees the clash.
    """
    model = type(obj)
    base = slugify(text)[:max_length - 6].strip("-") or fallback
    manager = model._default_manager
    for _ in range(ATTEMPTS):
        slug = next(s for s in _candidates(base, reserved) if not manager.filter(**{field: s}).exists())
        setattr(obj, field, slug)
        if prepare is not None:
            prepare(obj)
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return obj
        except IntegrityError:
            if not manager.filter(**{field: slug}).exists():
                raise  # another constraint refused the row: not ours to hide
    raise IntegrityError(f"No free {field} for {text!r} after {ATTEMPTS} attempts.")
