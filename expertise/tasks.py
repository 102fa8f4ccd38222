"""The expertise exchange's background work: telling the followers of an area or sub-topic that a request
was published in it. The service enqueues one job in its transaction; the job finds the followers and
notifies them in batches, once each (the notification's source is the request), by e-mail as they chose."""

from core.tasks import notify_in_batches, task
from expertise import selectors
from expertise.models import SupportRequest


@task()
def tell_followers(*, request_id: int, actor_id: int | None) -> int:
    """Notify everyone following the published request's areas or topics; returns how many were told now."""
    request = SupportRequest.objects.select_related("organisation").filter(pk=request_id).first()
    if request is None or request.hidden:
        return 0
    emailed, in_app = selectors.followers_of(request)
    params = {"title": request.title, "organisation": request.organisation.name, "kind": request.kind}
    told = 0
    for recipient_ids, email in ((emailed, True), (in_app, False)):
        told += notify_in_batches(recipient_ids=recipient_ids, source=f"expertise.new_request:{request.pk}",
                                  kind="expertise.new_request", params=params,
                                  url=request.get_absolute_url(), actor_id=actor_id, email=email)
    return told
