"""Capacity holds whatever the concurrency: the event row lock, its waiting and its timeout (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from events import services
from events.models import Event, Registration
from tests.events.factories import make_event, members

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONCURRENT = 50


def test_fifty_concurrent_registrations_at_ten_seats_confirm_exactly_ten_and_queue_the_rest_in_arrival_order():
    event = make_event(capacity=10)
    people = members(CONCURRENT)
    start = threading.Barrier(CONCURRENT)
    results: dict[int, str] = {}
    failures: list[BaseException] = []

    def register(user) -> None:
        try:
            start.wait()  # every thread holds its own connection and fires at once
            results[user.pk] = services.register_for_event(user=user, event=event).status
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(results) == CONCURRENT
    registrations = list(Registration.objects.filter(event=event).order_by("registered_at", "id"))
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    assert len(confirmed) == 10
    assert len(waitlisted) == CONCURRENT - 10
    # Arrival order is the order in which registrations took the lock: the first ten got seats, and
    # the waitlist follows the same order (row ids are handed out under the lock too).
    assert registrations[:10] == confirmed
    assert [r.pk for r in registrations] == sorted(r.pk for r in registrations)

    # The queue moves in that order when seats free up.
    services.cancel_registration(user=confirmed[0].user, event=event)
    assert Registration.objects.get(pk=waitlisted[0].pk).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=waitlisted[1].pk).status == Registration.Status.WAITLISTED


def _hold_the_event_lock(event: Event, taken: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            Event.objects.select_for_update().get(pk=event.pk)
            taken.set()
            release.wait()
    finally:
        connection.close()


def _waiting_on_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_a_second_registration_waits_for_the_lock_and_then_takes_the_last_seat():
    event = make_event(capacity=1)
    member = members(1)[0]
    taken, release, pid_known = threading.Event(), threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_event_lock, args=(event, taken, release))
    holder.start()
    taken.wait()
    outcome: dict = {}

    def register() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            pid_known.set()
            outcome["status"] = services.register_for_event(user=member, event=event).status
        finally:
            connection.close()

    taker = threading.Thread(target=register)
    taker.start()
    pid_known.wait()
    # Poll PostgreSQL until the second taker is blocked on the row lock (no clock involved).
    while not _waiting_on_a_lock(outcome["pid"]):
        assert taker.is_alive(), "the registration finished without waiting for the lock"
    assert "status" not in outcome
    release.set()
    holder.join()
    taker.join()
    assert outcome["status"] == Registration.Status.CONFIRMED


def test_a_registration_that_cannot_have_the_lock_in_time_fails_with_a_clear_error_and_saves_nothing(settings):
    settings.EVENTS_LOCK_TIMEOUT_SECONDS = 0.05
    event = make_event(capacity=5)
    member = members(1)[0]
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_event_lock, args=(event, taken, release))
    holder.start()
    taken.wait()
    try:
        with pytest.raises(services.RegistrationBusy, match="try again in a few seconds"):
            services.register_for_event(user=member, event=event)
    finally:
        release.set()
        holder.join()
    assert not Registration.objects.filter(user=member).exists()
