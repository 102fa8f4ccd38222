"""Pages of the directory, the clearinghouse of practices, the resource library, search and the CSV import."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_POST

from core import drafts, fragments, versions
from core.errors import REFUSALS, apply_to_form, describe
from core.pagecache import cache_for_visitors
from core.ratelimit import check_posting_rate
from core.uploads import CONTENT_TYPES, download_name, serve_download
from directory import exports, imports, permissions, selectors, services, worldmap
from directory.facets import Faceted, FacetGroup
from directory.forms import (
    ImportForm,
    PracticeForm,
    PracticeTranslationForm,
    PublishForm,
    ReplicationForm,
    ResourceForm,
    ResourceTranslationForm,
    ReturnForm,
)
from directory.models import ImportJob, Practice, Replication, Resource
from directory.search import search_everything

PAGE_SIZE = 20
PRACTICE_DRAFT = "practice:new"
# What the directory's pages show to visitors: organisations (sorted by latest activity, which events touch too),
# practices, resources and the taxonomy.
DIRECTORY_KINDS = ("directory.practice", "directory.resource", "accounts.organisation", "core.taxonomy", "events.event")


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _world_map(request: HttpRequest, facets: list[FacetGroup], *, describe, label: str) -> dict | None:
    """The list's countries on a world map, when the reader asked for it (?map=1): each country links to the
    same list filtered by it, with the other filters kept."""
    if request.GET.get("map") != "1":
        return None
    group = next((g for g in facets if g.facet.param == "country"), None)
    params = request.GET.copy()
    params.pop("page", None)
    items = []
    for option in group.options if group else []:
        params.setlist("country", [option.value])
        items.append(worldmap.MapCountry(option.value, option.label, option.count, f"?{params.urlencode()}"))
    params.setlist("country", [])
    params.pop("map", None)
    items.sort(key=lambda item: (-item.count, item.name))
    return {"svg": worldmap.render_map(items, describe=describe, label=label), "items": items,
            "legend": worldmap.legend(), "hide_query": params.urlencode(), "describe": describe}


class CountedPaginator(Paginator):
    """A paginator told its count (the one the facets' statement took, capped), so it never counts again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value


def _listing(request: HttpRequest, rows: Callable[[QueryDict], QuerySet], facets: Callable[[], Faceted], sorts: dict,
             template: str, body: str, after: str = "", *, shared: fragments.Rule | None,
             world_map: Callable[[Faceted], dict | None] | None = None, **context) -> HttpResponse:
    """A faceted, searchable, sortable list: everything the page shows is in its URL.

    The page includes directory/partials/listing.html: the filter form around `body` (facets, search, the
    list), then `after` (what must stand outside the form). An htmx request from that form (a filter
    ticked, the sort changed) gets the partial alone and swaps it in, pushing the address into the history.
    Without JavaScript the form's buttons submit it as a plain GET, and the whole page comes back. A
    history restore (htmx asking again for an address it has no snapshot of) gets the whole page too.
    Beyond the capped total ("1,000+ results") the pages stop: a reader narrows the search instead.

    The partial is a block kept in the cache for the viewers `shared` names (core/fragments.py): `rows` and
    `facets` are only called when it must be rendered, so a member's repeat of a search or a filter costs
    the page around it. Visitors' pages are kept whole (cache_for_visitors).

    A search that matches more than the capped total ("1,000+") is listed in the list's first order (most
    recent, by name) unless the reader asked for relevance: ranking reads the stored vector of every match,
    which grows with the data (practices, "integration" at 1x: 90 ms by relevance, 5 ms by date), while
    walking the order's index stops at the page's rows. The sort menu shows the order used."""
    q = selectors.query_text(request.GET)
    sort = selectors.sort_key(request.GET, sorts, q)
    sort_options = [(key, label) for key, (label, _) in sorts.items()]
    if q:
        sort_options.insert(0, (selectors.RELEVANCE, pgettext("sort order", "Relevance")))

    def render_list() -> str:
        faceted = facets()
        params, used = request.GET, sort
        if used == selectors.RELEVANCE and "sort" not in request.GET and faceted.total.capped:
            params, used = request.GET.copy(), next(iter(sorts))
            params["sort"] = used
        page = CountedPaginator(rows(params), PAGE_SIZE, count=faceted.total.count).get_page(request.GET.get("page"))
        return render_to_string("directory/partials/listing.html", {
            "listing_body": body, "listing_after": after,
            "page": page, "facets": faceted.groups, "total": faceted.total, "q": q, "sort": used,
            "sort_options": sort_options,
            "query_string": _query_string(request),
            "filtered": bool({k for k in request.GET if k not in ("page", "map")}),
            "world_map": world_map(faceted) if world_map else None, **context,
        }, request=request)

    listing = fragments.block(request, f"listing:{template}", shared, render_list,
                              parts=[sorted(request.GET.lists())])
    if request.htmx and not request.htmx.history_restore_request:
        response = HttpResponse(listing)
    else:
        response = render(request, template, {"listing": listing, **context})
    # One address, two answers: a browser's cache must not give the partial for the page, or the reverse.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Partner directory ------------------------------------------------------------------------------

@cache_for_visitors(*DIRECTORY_KINDS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, lambda params: selectors.organisation_rows(params),
                    lambda: selectors.organisation_facets(request.GET),
                    selectors.ORGANISATION_SORTS, "directory/organisation_list.html",
                    "directory/partials/organisation_list_body.html", shared=fragments.everyone(*DIRECTORY_KINDS),
                    world_map=lambda faceted: _world_map(
                        request, faceted.groups, label=gettext("Organisations by country"),
                        describe=lambda n: ngettext("%(count)s organisation", "%(count)s organisations", n)
                        % {"count": n}))


def organisation_export(request: HttpRequest) -> HttpResponse:
    return exports.csv_response(request, selectors.organisation_list(request.GET), exports.ORGANISATION_COLUMNS,
                                "crossroads-organisations.csv")


@login_required
def peers(request: HttpRequest) -> HttpResponse:
    mine = list(selectors.organisations_for_peers(request.user))
    chosen = next((o for o in mine if o.slug == request.GET.get("organisation")), mine[0] if mine else None)
    page, rows = None, []
    if chosen is not None:
        page = Paginator(selectors.peers_of(chosen), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(suggestion.organisation, suggestion.reasons) for suggestion in page]
    return render(request, "directory/peers.html", {
        "organisations": mine, "chosen": chosen, "page": page, "rows": rows,
        "query_string": f"organisation={chosen.slug}" if chosen else "",
    })


@login_required
def people(request: HttpRequest) -> HttpResponse:
    return _listing(request, lambda params: selectors.people_list(params), lambda: selectors.people_facets(request.GET),
                    {"name": (pgettext("sort order", "Name"), [])}, "directory/people.html",
                    "directory/partials/people_list_body.html", "directory/partials/people_list_after.html",
                    shared=None,  # each row carries a message form with the viewer's CSRF token
                    job_title=selectors.query_text({"q": request.GET.get("job_title", "")})[:100])


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    return exports.csv_response(request, selectors.people_list(request.GET), exports.PEOPLE_COLUMNS,
                                "crossroads-members.csv")


# --- Practices --------------------------------------------------------------------------------------

@cache_for_visitors(*DIRECTORY_KINDS)
def practice_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, lambda params: selectors.practice_rows(params),
                    lambda: selectors.practice_facets(request.GET),
                    selectors.PRACTICE_SORTS, "directory/practice_list.html",
                    "directory/partials/practice_list_body.html",
                    shared=fragments.visitors_and_members(*DIRECTORY_KINDS),  # the empty list invites members
                    world_map=lambda faceted: _world_map(
                        request, faceted.groups, label=gettext("Good practices by country"),
                        describe=lambda n: ngettext("%(count)s practice", "%(count)s practices", n)
                        % {"count": n}))


def practice_export(request: HttpRequest) -> HttpResponse:
    return exports.csv_response(request, selectors.practice_list(request.GET), exports.PRACTICE_COLUMNS,
                                "crossroads-practices.csv")


def _practice_or_404(request: HttpRequest, slug: str, found: Callable[[str], QuerySet[Practice]] | None = None,
                     ) -> Practice:
    practice = (found or selectors.practice_for_page)(slug).first()
    if practice is not None and hasattr(practice, "viewer_role"):
        permissions.remember_role(request.user, practice, practice.viewer_role)
    if practice is None or not permissions.can_view_practice(request.user, practice):
        raise Http404(gettext("No such practice."))
    return practice


@cache_for_visitors(*DIRECTORY_KINDS, "forums.forum")
def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug, lambda slug: selectors.practice_page_head(slug, request.user))
    can_edit = permissions.can_edit_practice(request.user, practice)
    can_review = permissions.can_review_practices(request.user)
    can_record = permissions.can_record_replication(request.user, practice)
    # Read only when a card showing them is rendered afresh (the page's cards, practice_detail.html).
    return render(request, "directory/practice_detail.html", {
        "practice": practice,
        "with_taxonomy": fragments.prefetched_when_shown(practice, "policy_areas", "topics"),
        "with_relations": fragments.prefetched_when_shown(practice, *selectors.PRACTICE_PAGE_RELATIONS),
        "with_replications": fragments.prefetched_when_shown(practice, selectors.PRACTICE_PAGE_REPLICATIONS),
        "versions": SimpleLazyObject(lambda: selectors.practice_versions(practice)),
        "can_translate": permissions.can_translate_practice(request.user, practice),
        "can_edit": can_edit,
        "can_review": can_review,
        "workflow": "edit" * can_edit + "review" * can_review,
        "transitions": selectors.practice_transitions(practice) if can_edit or can_review else None,
        "revision_count": practice.revisions.count,
        "return_form": ReturnForm(), "publish_form": PublishForm(),
        # Made only when the replications' card is rendered afresh (its country choices are copied per form).
        "replication_form": SimpleLazyObject(lambda: ReplicationForm(user=request.user)) if can_record else None,
        # The replications' Remove buttons and the form's organisations are the member's own.
        "replications_viewer": f"{request.user.pk}:{can_record}:{can_edit}:{can_review}",
        "user_id": request.user.pk,
    })


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    if (response := drafts.draft_action(request, PRACTICE_DRAFT, PracticeForm.base_fields)) is not None:
        return response
    form = PracticeForm(request.POST or None, user=request.user, creating=True,
                        resources_queryset=selectors.resources_visible_to(request.user))
    draft = drafts.restore(request, PRACTICE_DRAFT, form)
    if not form.fields["organisation"].queryset.exists():
        messages.info(request, gettext("Join an organisation first: practices are written for an organisation."))
    if request.method == "POST" and form.is_valid():
        try:
            check_posting_rate(user=request.user, what="practices")
            practice = services.create_practice(author=request.user, organisation=form.cleaned_data["organisation"],
                                                submit="submit" in request.POST, **form.relations(),
                                                **form.practice_fields())
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            drafts.discard(request, PRACTICE_DRAFT)
            messages.success(request, gettext("Your practice is submitted for review.")
                             if practice.status == "submitted"
                             else gettext("Your draft is saved. Submit it for review when it is ready."))
            return redirect(practice)
    return render(request, "directory/practice_form.html", {"form": form, "creating": True, "draft": draft,
                                                            "draft_key": PRACTICE_DRAFT})


@login_required
def practice_translate(request: HttpRequest, slug: str) -> HttpResponse:
    """"Translate this practice": a member writes a version in another language, reviewed like any practice."""
    original = _practice_or_404(request, slug)
    if not permissions.can_translate_practice(request.user, original):
        raise PermissionDenied(gettext("Only published originals are translated, by members."))
    form = PracticeTranslationForm(request.POST or None, original=original, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            check_posting_rate(user=request.user, what="practices")
            practice = services.translate_practice(translator=request.user, original=original,
                                                   submit="submit" in request.POST, **form.cleaned_data)
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("Your translation is submitted for review.")
                             if practice.status == "submitted"
                             else gettext("Your translation is saved as a draft. Submit it for review when it is "
                                          "ready."))
            return redirect(practice)
    return render(request, "directory/practice_translate.html", {"form": form, "original": original})


@login_required
def practice_edit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if not permissions.can_edit_practice(request.user, practice):
        raise PermissionDenied(gettext("Only the practice's author and its organisation's administrators can "
                                       "edit it."))
    initial = {name: getattr(practice, name).all() for name in services.PRACTICE_RELATIONS}
    form = PracticeForm(request.POST or None, instance=practice, initial=initial, user=request.user,
                        creating=False, resources_queryset=selectors.resources_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.update_practice(actor=request.user, practice=practice, **form.relations(),
                                                **form.practice_fields())
            if "submit" in request.POST and practice.status in (Practice.Status.DRAFT, Practice.Status.RETURNED):
                practice = services.submit_practice(actor=request.user, practice=practice)
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("Your practice is submitted for review.")
                             if practice.status == "submitted" else gettext("Your changes are saved."))
            return redirect(practice)
    return render(request, "directory/practice_form.html", {"form": form, "practice": practice})


@login_required
@require_POST
def practice_submit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    try:
        services.submit_practice(actor=request.user, practice=practice)
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("Your practice is submitted for review. A moderator will publish it or "
                                          "return it to you with a reason."))
    return redirect(practice)


@login_required
@require_POST
def practice_publish(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The note is too long: %(limit)s characters at most.")
                       % {"limit": number_format(2000, force_grouping=True)})
        return redirect(practice)
    try:
        services.publish_practice(actor=request.user, practice=practice, note=form.cleaned_data["note"])
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("“%(title)s” is published.") % {"title": practice.title})
    return redirect(practice)


@login_required
def practice_return(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if not permissions.can_review_practices(request.user):
        raise PermissionDenied(gettext("Only moderators return practices."))
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_practice(actor=request.user, practice=practice, reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("“%(title)s” is returned to its author.") % {"title": practice.title})
            return redirect(practice)
    return render(request, "directory/practice_return.html", {"practice": practice, "form": form})


@cache_for_visitors(*DIRECTORY_KINDS)
def practice_history(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    can_see_log = (permissions.can_edit_practice(request.user, practice)
                   or permissions.can_review_practices(request.user))
    return render(request, "directory/practice_history.html", {
        "practice": practice,
        "revisions": selectors.practice_revisions(practice),
        "transitions": selectors.practice_transitions(practice) if can_see_log else None,
    })


@cache_for_visitors(*DIRECTORY_KINDS)
def practice_revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    revision = get_object_or_404(selectors.practice_revisions(practice), number=number)
    return render(request, "directory/practice_revision.html", {"practice": practice, "revision": revision})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_practices(request.user):
        raise PermissionDenied(gettext("Only moderators review practices."))
    page = Paginator(selectors.practices_awaiting_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/review_queue.html", {"page": page})


@login_required
def my_practices(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.practices_of_author(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/my_practices.html", {"page": page})


@login_required
@require_POST
def replication_add(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    form = ReplicationForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            check_posting_rate(user=request.user, what="replications")
            replication = services.record_replication(
                actor=request.user, practice=practice, organisation=data["organisation"], place=data["place"],
                country=data["country"], year=data["year"], note=data["note"])
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("%(place)s is listed as replicating this practice.")
                             % {"place": replication.place})
            return redirect(practice)
    return render(request, "directory/replication_form.html", {"practice": practice, "form": form})


@login_required
@require_POST
def replication_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    replication = get_object_or_404(Replication.objects.select_related("practice__organisation"),
                                    pk=pk, practice=practice)
    services.remove_replication(actor=request.user, replication=replication)
    messages.success(request, gettext("%(place)s is no longer listed.") % {"place": replication.place})
    return redirect(practice)


# --- Resources --------------------------------------------------------------------------------------

@cache_for_visitors(*DIRECTORY_KINDS)
def resource_list(request: HttpRequest) -> HttpResponse:
    # A member also sees what their own organisations published before verification: kept per member.
    return _listing(request, lambda params: selectors.resource_rows(request.user, params),
                    lambda: selectors.resource_facets(request.user, request.GET), selectors.RESOURCE_SORTS,
                    "directory/resource_list.html", "directory/partials/resource_list_body.html",
                    shared=fragments.per_viewer(*DIRECTORY_KINDS))


def resource_export(request: HttpRequest) -> HttpResponse:
    return exports.csv_response(request, selectors.resource_list(request.user, request.GET), exports.RESOURCE_COLUMNS,
                                "crossroads-resources.csv")


def _resource_or_404(request: HttpRequest, slug: str) -> Resource:
    resource = selectors.resource_for_page(slug).first()
    if resource is None or not permissions.can_view_resource(request.user, resource):
        raise Http404(gettext("No such resource."))
    return resource


@cache_for_visitors(*DIRECTORY_KINDS)
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _resource_or_404(request, slug)
    return render(request, "directory/resource_detail.html", {
        "resource": resource, "can_edit": permissions.can_edit_resource(request.user, resource),
        "versions": selectors.resource_versions(resource),
        "can_translate": permissions.can_translate_resource(request.user, resource)})


@login_required
def resource_translate(request: HttpRequest, slug: str) -> HttpResponse:
    """"Translate this resource": a member of its publisher adds the same item in another language."""
    original = _resource_or_404(request, slug)
    if not permissions.can_translate_resource(request.user, original):
        raise PermissionDenied(gettext("Versions of a resource are added by members of its publisher."))
    form = ResourceTranslationForm(request.POST or None, request.FILES or None, original=original,
                                   user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_posting_rate(user=request.user, what="resources")
            resource = services.translate_resource(
                actor=request.user, original=original, language=data["language"], title=data["title"],
                summary=data["summary"], authors=data["authors"], url=data["url"], upload=data["file"])
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("The version is in the library."))
            return redirect(resource)
    return render(request, "directory/resource_translate.html", {"form": form, "original": original})


def resource_file(request: HttpRequest, slug: str) -> FileResponse:
    """The uploaded file, as a download with its checked type; never served from MEDIA_URL."""
    resource = _resource_or_404(request, slug)
    if not resource.file or resource.file_type not in CONTENT_TYPES:
        raise Http404(gettext("This resource has no file."))
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("The file is missing.")) from None
    return serve_download(request, handle, content_type=CONTENT_TYPES[resource.file_type],
                          filename=download_name(resource.title, resource.file_type))


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None, user=request.user, creating=True)
    if not form.fields["publisher"].queryset.exists():
        messages.info(request, gettext("Join an organisation first: resources are published by an organisation."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_posting_rate(user=request.user, what="resources")
            resource = services.add_resource(actor=request.user, publisher=data["publisher"], upload=data["file"],
                                             policy_areas=data["policy_areas"], topics=data["topics"],
                                             **form.resource_fields())
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("The resource is in the library."))
            return redirect(resource)
    return render(request, "directory/resource_form.html", {"form": form, "creating": True})


@login_required
def resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _resource_or_404(request, slug)
    if not permissions.can_edit_resource(request.user, resource):
        raise PermissionDenied(gettext("Only who added it, the publisher's administrators and moderators can "
                                       "edit it."))
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource, user=request.user,
                        creating=False, initial={"policy_areas": resource.policy_areas.all(),
                                                 "topics": resource.topics.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.update_resource(actor=request.user, resource=resource, upload=data["file"],
                                                remove_file=data.get("remove_file", False),
                                                policy_areas=data["policy_areas"], topics=data["topics"],
                                                **form.resource_fields())
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            messages.success(request, gettext("The resource is saved."))
            return redirect(resource)
    return render(request, "directory/resource_form.html", {"form": form, "resource": resource})


@login_required
@require_POST
def resource_delete(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _resource_or_404(request, slug)
    services.delete_resource(actor=request.user, resource=resource)
    messages.success(request, gettext("“%(title)s” is removed from the library.") % {"title": resource.title})
    return redirect("directory:resources")


# --- Search -----------------------------------------------------------------------------------------

@cache_for_visitors(*versions.CONTENT_KINDS, timeout=60)
def search(request: HttpRequest) -> HttpResponse:
    q = selectors.query_text(request.GET)

    def render_results() -> str:
        groups = search_everything(request.user, q) if q else []
        return render_to_string("directory/partials/search_results.html", {
            "q": q, "groups": groups, "found": any(group.total for group in groups)}, request=request)

    # What a member finds depends on their organisations and groups: kept per member, until content changes.
    results = fragments.block(request, "search", fragments.per_viewer(*versions.CONTENT_KINDS), render_results,
                              parts=[q])
    return render(request, "directory/search.html", {"q": q, "results": results})


# --- CSV import (staff) -----------------------------------------------------------------------------

def _staff_only(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied(gettext("Only staff import CSV files."))


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(actor=request.user, kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"])
        except REFUSALS as error:
            apply_to_form(form, error)
        else:
            return redirect("directory:import-job", job.pk)
    return render(request, "directory/import_start.html", {"form": form, "columns": imports.COLUMNS,
                                                           "recent": selectors.recent_imports(request.user)})


def _import_status(request: HttpRequest, pk: int) -> ImportJob:
    _staff_only(request)
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's page: its progress (kept up to date by htmx polling while a job works on it), errors,
    preview and the button to import. Background jobs do the work, so the page can be left and reopened."""
    job = _import_status(request, pk)
    return render(request, "directory/import_job.html", {"job": job, "preview": imports.preview(job)})


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status part of the import's page alone, for htmx to swap in every second while it runs."""
    return render(request, "directory/_import_status.html", {"job": _import_status(request, pk)})


@login_required
@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_status(request, pk)
    try:
        job = services.queue_import(actor=request.user, job=job)
    except REFUSALS as error:
        messages.error(request, describe(error))
    else:
        messages.success(request, gettext("The import runs in the background: you may leave this page and come "
                                          "back to it."))
    return redirect("directory:import-job", job.pk)
