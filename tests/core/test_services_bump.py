"""Every service either bumps the cache generations of what it changes (@versions.bumps, core/versions.py) or is
listed here with the reason no cached page or section shows what it writes. A new service fails this test until
it is one or the other, so a cached page cannot silently go stale after a write."""

import importlib
import inspect

import pytest

NOTHING_CACHED_SHOWS = {
    "directory.services": {
        "start_import": "an import job's own rows; the import itself (import_rows) bumps",
        "check_import_batch": "an import job's own rows",
        "queue_import": "an import job's own rows",
        "mark_import_failed": "an import job's own rows",
    },
    "events.services": {
        "publish_recording": "calls update_event, which bumps",
        "message_registrants": "mails and notifications only",
        "contact_organisers": "a chat conversation (chat pages are not cached)",
        "clean_answers": "a check, writes nothing",
        "new_ticket_code": "returns a code, writes nothing",
        "open_join_link": "attendance, shown to organisers on pages that are not cached",
        "issue_certificate": "a certificate, shown on pages that are not cached",
    },
    "forums.services": {
        "is_new_member": "a check, writes nothing",
        "mark_topic_read": "bumps forums.reads for the member itself, only when the read mark moves",
        "set_topic_pinned": "calls _set_topic_flag, which bumps",
        "set_topic_locked": "calls _set_topic_flag, which bumps",
        "rendered_preview": "renders, writes nothing",
        "can_accept_answer": "a check, writes nothing",
    },
    "expertise.services": {
        "draft_practice_from_outcome": "calls directory's create_practice (through core.extensions), which bumps",
    },
    "core.services": {
        "notify": "bumps core.notifications for the recipient itself (the header's count)",
        "notify_many": "bumps core.notifications for each recipient",
        "notify_ids": "bumps core.notifications for each recipient",
        "send_notification_digests": "mails",
        "mark_notification_read": "bumps core.notifications for the member, when a notification was unread",
        "mark_all_notifications_read": "bumps core.notifications for the member, when one was unread",
        "save_form_draft": "a member's own form draft",
        "discard_form_draft": "a member's own form draft",
        "retry_failed_jobs": "background jobs",
        "given": "sorts an update service's arguments from UNCHANGED, writes nothing",
    },
    "moderation.services": {
        "log_moderation_action": "the moderation log, not cached",
        "can_report": "a check, writes nothing",
        "file_report": "the queue, not cached",
        "move_reports_to_scope": "the queue",
        "can_resolve_report": "a check",
        "report_actions": "a lookup",
        "resolve_report": "the queue; the actions it runs are the apps' services, which bump",
        "warn_member": "a notification and the log",
        "silence_member": "who may post; pages show no sanction",
        "unsilence_member": "who may post",
        "suspend_member": "who may log in; pages show no sanction",
        "unsuspend_member": "who may log in",
    },
    "accounts.services": {},
}


@pytest.mark.parametrize("module_name", sorted(NOTHING_CACHED_SHOWS))
def test_every_service_bumps_what_it_changes_or_says_why_not(module_name):
    module = importlib.import_module(module_name)
    services = {name for name, function in vars(module).items()
                if inspect.isfunction(function) and function.__module__ == module_name and not name.startswith("_")}
    unbumped = {name for name in services if not hasattr(getattr(module, name), "bumps")}
    listed = set(NOTHING_CACHED_SHOWS[module_name])
    assert unbumped <= listed, f"{module_name}: add @versions.bumps(...) or a reason here: {sorted(unbumped - listed)}"
    assert listed <= unbumped, f"{module_name}: these bump now, take them off the list: {sorted(listed - unbumped)}"
