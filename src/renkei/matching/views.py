"""Pages of seeds, needs and matching. Records are fetched only through matching.access and
written only through matching.services, which check the permission again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from renkei.accounts.scope import scope_for
from renkei.core.access import signed_in_page
from renkei.core.history import history_of
from renkei.core.listing import Column, RecordListView
from renkei.directory.access import visible_people
from renkei.directory.forms import attach_errors
from renkei.matching import access, indexing, services
from renkei.matching.filters import NeedFilterSet, SeedFilterSet
from renkei.matching.forms import (
    AlertForm,
    ChallengeForm,
    DeclineForm,
    FeedbackForm,
    InterestForm,
    NeedForm,
    ProposalForm,
    SearchForm,
    SeedForm,
)
from renkei.matching.models import Challenge, InboxItem, Interest, Need, Proposal, Seed
from renkei.matching.search import IndexMissing, SearchFilters, run_search
from renkei.matching.suggestions import suggest_for_need

ANONYMISED = _("(anonymised)")


def _names(items) -> str:
    return ", ".join(dict.fromkeys(str(i.name) for i in items))


def _owner_cell(listing) -> str:
    return str(ANONYMISED) if listing.owner_hidden else listing.organisation.name


class _ListingListView(RecordListView):
    model: type = Seed

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        hidden = access.anonymised_hidden_from(user, self.model)
        visible = access.visible_seeds(user) if self.model is Seed else access.visible_needs(user)
        return visible.annotate(
            owner_hidden=Case(When(pk__in=hidden, then=Value(True)), default=Value(False), output_field=BooleanField())
        )

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("organisation").prefetch_related("fields")

    def can_create(self) -> bool:
        return access.can_create_seed(self.request.user)


class SeedListView(_ListingListView):
    model = Seed
    filterset_class = SeedFilterSet
    title = _("Seeds")
    export_name = "seeds"
    create_url_name = "matching:seed_create"
    default_sort = "-updated"
    columns = [
        Column("title", pgettext_lazy("seed or need", "Title"), lambda s: s.title, sort="title_ja", link=True),
        Column("organisation", _("Organisation"), _owner_cell),
        Column("fields", _("Fields"), lambda s: _names(s.fields.all())),
        Column("stage", _("Stage"), lambda s: s.get_stage_display(), sort="stage"),
        Column("trl", _("TRL"), lambda s: s.trl, sort="trl"),
        Column("visibility", _("Visibility"), lambda s: s.get_visibility_display(), sort="visibility"),
        Column("updated", _("Updated"), lambda s: s.updated_at.date(), sort="updated_at"),
    ]


class NeedListView(_ListingListView):
    model = Need
    filterset_class = NeedFilterSet
    title = _("Needs")
    export_name = "needs"
    create_url_name = "matching:need_create"
    default_sort = "-updated"
    columns = [
        Column("title", pgettext_lazy("seed or need", "Title"), lambda n: n.title, sort="title_ja", link=True),
        Column("organisation", _("Company"), _owner_cell),
        Column("fields", _("Fields"), lambda n: _names(n.fields.all())),
        Column("timing", _("Desired timing"), lambda n: n.desired_timing),
        Column("status", _("Status"), lambda n: n.get_status_display(), sort="status"),
        Column("visibility", _("Visibility"), lambda n: n.get_visibility_display(), sort="visibility"),
        Column("updated", _("Updated"), lambda n: n.updated_at.date(), sort="updated_at"),
    ]


seed_list = SeedListView.as_view()
need_list = NeedListView.as_view()


# --- detail pages -----------------------------------------------------------------------


def _listing_context(request: HttpRequest, listing) -> dict[str, Any]:
    user = request.user
    show_owner = access.shows_owner(user, listing)
    is_owner = access.is_owner(user, listing) or access.can_edit(user, listing)
    can_answer = access.can_answer_interest(user, listing)
    kind = "seed" if isinstance(listing, Seed) else "need"
    interests = (
        Interest.objects.filter(**{kind: listing}).order_by("-created_at")
        if can_answer or access.is_listing_staff(user, listing)
        else Interest.objects.none()
    )
    return {
        "listing": listing,
        "kind": kind,
        "show_owner": show_owner,
        "can_edit": access.can_edit(user, listing),
        "technology_fields": list(listing.fields.all()),
        "clusters": list(listing.clusters.all()),
        "decline_summary": services.decline_summary(listing) if is_owner else None,
        "interests": interests,
        "can_answer": can_answer,
        "decline_form": DeclineForm(),
        # Change history names who edited, so only those who look after the listing see it.
        "history": history_of(listing)
        if access.can_edit(user, listing) or access.is_listing_staff(user, listing) or scope_for(user).reads_all
        else None,
    }


def seed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seed = access.access_seed(request.user, pk)
    context = _listing_context(request, seed)
    context["seed"] = seed
    context["researchers"] = (
        list(seed.researchers.filter(pk__in=visible_people(request.user).values("pk"))) if context["show_owner"] else []
    )
    context["proposals"] = (
        Proposal.objects.filter(seed=seed).select_related("challenge__need") if context["can_edit"] else []
    )
    return render(request, "matching/seed_detail.html", context)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = access.access_need(user, pk)
    context = _listing_context(request, need)
    context["need"] = need
    found = suggest_for_need(user, need)
    suggestions, organisations, people = found.seeds, found.organisations, found.people
    for result in suggestions:
        result.feedback = found.feedback.get(("seed", result.obj.pk), [])
    for partner in organisations:
        partner.feedback = found.feedback.get(("organisation", partner.obj.pk), [])
    for partner in people:
        partner.feedback = found.feedback.get(("person", partner.obj.pk), [])
    context.update(
        {
            "index_missing": not found.index_ready,
            "index_building": indexing.build_status() if not found.index_ready else None,
            "suggestions": suggestions,
            "partner_organisations": organisations,
            "partner_people": people,
            "can_give_feedback": access.can_give_feedback(user, need),
            "feedback_form": FeedbackForm(),
            "challenge": Challenge.objects.filter(need=need).first(),
            "contact_visible": need.contact_id is not None
            and context["show_owner"]
            and visible_people(user).filter(pk=need.contact_id).exists(),
        }
    )
    return render(request, "matching/need_detail.html", context)


# --- forms ------------------------------------------------------------------------------


def _forget_unsaved(instance) -> None:
    instance.pk = None
    instance._state.adding = True


def _form_page(request: HttpRequest, form, title, cancel_url: str) -> HttpResponse:
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


def _listing_form(request: HttpRequest, form_class, instance, save, title, cancel_url: str, saved_message):
    form = form_class(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        creating = form.instance.pk is None
        try:
            listing = save(form)
        except ValidationError as error:
            if creating:
                _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(listing)
    return _form_page(request, form, title, cancel_url)


def _save_seed(request):
    def save(form):
        data = form.cleaned_data
        return services.do_save_seed(
            request.user,
            form.instance,
            fields=data["fields"],
            researchers=data["researchers"],
            clusters=data["clusters"],
        )

    return save


def _save_need(request):
    def save(form):
        data = form.cleaned_data
        return services.do_save_need(request.user, form.instance, fields=data["fields"], clusters=data["clusters"])

    return save


@signed_in_page
def seed_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_seed(request.user):
        raise PermissionDenied
    return _listing_form(
        request,
        SeedForm,
        Seed(),
        _save_seed(request),
        _("Add a seed"),
        reverse("matching:seed_list"),
        _("The seed was added."),
    )


@signed_in_page
def seed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    seed = access.access_seed(request.user, pk)
    access.check_can_edit(request.user, seed)
    return _listing_form(
        request,
        SeedForm,
        seed,
        _save_seed(request),
        _("Edit %(title)s") % {"title": seed.title},
        seed.get_absolute_url(),
        _("The seed was saved."),
    )


@signed_in_page
def need_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_need(request.user):
        raise PermissionDenied
    return _listing_form(
        request,
        NeedForm,
        Need(),
        _save_need(request),
        _("Add a need"),
        reverse("matching:need_list"),
        _("The need was added."),
    )


@signed_in_page
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.access_need(request.user, pk)
    access.check_can_edit(request.user, need)
    return _listing_form(
        request,
        NeedForm,
        need,
        _save_need(request),
        _("Edit %(title)s") % {"title": need.title},
        need.get_absolute_url(),
        _("The need was saved."),
    )


# --- search -----------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results, index_missing, searched = [], False, False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        searched = True
        try:
            results = run_search(request.user, form.cleaned_data["q"], SearchFilters.from_cleaned(form.cleaned_data))
        except IndexMissing:
            index_missing = True
    return render(
        request,
        "matching/search.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "index_missing": index_missing,
            "index_building": indexing.build_status() if index_missing or indexing.get_index() is None else None,
            "alert_form": AlertForm(initial={"q": request.GET.get("q", "")}),
        },
    )


# --- feedback ---------------------------------------------------------------------------


@require_POST
@signed_in_page
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.access_need(request.user, pk)
    if not access.can_give_feedback(request.user, need):
        raise PermissionDenied
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The feedback was not saved: %(errors)s") % {"errors": _form_errors(form)})
        return redirect(need)
    data = form.cleaned_data
    try:
        services.do_give_feedback(
            request.user,
            need,
            data["target_kind"],
            data["target_id"],
            data["verdict"],
            decline_reason=data["decline_reason"],
            note=data["note"],
        )
    except ValidationError as error:
        messages.error(request, _("The feedback was not saved: %(errors)s") % {"errors": "; ".join(error.messages)})
    else:
        messages.success(request, _("Your feedback was saved."))
    return redirect(need.get_absolute_url() + "#suggestions")


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errs)}"
        for name, errs in form.errors.items()
    )


# --- alerts and inbox -------------------------------------------------------------------


@require_POST
@signed_in_page
def alert_create(request: HttpRequest) -> HttpResponse:
    form = AlertForm(request.POST)
    need = None
    if form.is_valid() and form.cleaned_data.get("need"):
        need = access.access_need(request.user, form.cleaned_data["need"])
    if not form.is_valid():
        messages.error(request, _("The alert was not saved: %(errors)s") % {"errors": _form_errors(form)})
        return redirect("matching:search")
    try:
        services.do_save_alert(request.user, name=form.cleaned_data["name"], query=form.cleaned_data["q"], need=need)
    except ValidationError as error:
        messages.error(request, _("The alert was not saved: %(errors)s") % {"errors": "; ".join(error.messages)})
        return redirect(need or "matching:search")
    messages.success(request, _("The alert was saved: new matching seeds will appear in your inbox."))
    return redirect("matching:inbox")


@require_POST
@signed_in_page
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alert = request.user.matching_alerts.filter(pk=pk).first()
    if alert is None:
        raise Http404("No such alert")
    services.do_delete_alert(request.user, alert)
    messages.success(request, _("The alert was deleted."))
    return redirect("matching:inbox")


@signed_in_page
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible_seed_ids = set(access.visible_seeds(user).values_list("pk", flat=True))
    items = [
        item
        for item in InboxItem.objects.filter(user=user).select_related("alert", "seed", "need", "interest", "proposal")[
            :200
        ]
        # Visibility may have narrowed since delivery: never show a seed the user may no longer see.
        if item.seed_id is None or item.seed_id in visible_seed_ids
    ]
    return render(
        request,
        "matching/inbox.html",
        {
            "items": items,
            "alerts": user.matching_alerts.select_related("need"),
            "unread": sum(not i.read for i in items),
        },
    )


@require_POST
@signed_in_page
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    item = InboxItem.objects.filter(user=request.user, pk=pk).first()
    if item is None:
        raise Http404("No such item")
    services.do_mark_read(request.user, item)
    return redirect("matching:inbox")


# --- expressions of interest ------------------------------------------------------------


def _interest(request: HttpRequest, listing) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial = {"sender_email": request.user.email, "sender_name": request.user.get_full_name()}
    form = InterestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_express_interest(request.user, listing, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(listing)
    title = _("Express interest in %(title)s") % {"title": listing.title}
    return _form_page(request, form, title, listing.get_absolute_url())


def seed_interest(request: HttpRequest, pk: int) -> HttpResponse:
    return _interest(request, access.access_seed(request.user, pk))


def need_interest(request: HttpRequest, pk: int) -> HttpResponse:
    return _interest(request, access.access_need(request.user, pk))


@require_POST
@signed_in_page
def interest_decline(request: HttpRequest, pk: int) -> HttpResponse:
    interest = Interest.objects.select_related("seed", "need").filter(pk=pk).first()
    if interest is None:
        raise Http404("No such expression of interest")
    listing = interest.listing
    # Reaching the listing goes through the access helpers (404 when hidden), then the right to answer.
    listing = (
        access.access_seed(request.user, listing.pk)
        if interest.seed_id
        else access.access_need(request.user, listing.pk)
    )
    if not access.can_answer_interest(request.user, listing):
        raise PermissionDenied
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not declined: %(errors)s") % {"errors": _form_errors(form)})
        return redirect(listing)
    try:
        services.do_decline_interest(
            request.user, interest, form.cleaned_data["decline_reason"], form.cleaned_data["decline_text"]
        )
    except ValidationError as error:
        messages.error(request, _("Not declined: %(errors)s") % {"errors": "; ".join(error.messages)})
    else:
        messages.success(request, _("The expression of interest was declined; the sender sees the reason."))
    return redirect(listing)


# --- challenges -------------------------------------------------------------------------


@signed_in_page
def challenge_open(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.access_need(request.user, pk)
    access.check_can_edit(request.user, need)
    existing = Challenge.objects.filter(need=need).first()
    initial = {"deadline": existing.deadline, "brief": existing.brief} if existing else {}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.do_open_challenge(request.user, need, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The challenge is published."))
            return redirect(challenge)
    title = _("Publish %(title)s as a challenge") % {"title": need.title}
    return _form_page(request, form, title, need.get_absolute_url())


def challenge_list(request: HttpRequest) -> HttpResponse:
    challenges = access.visible_challenges(request.user).select_related("need").order_by("deadline", "pk")
    return render(request, "matching/challenge_list.html", {"challenges": challenges})


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    challenge = access.access_challenge(user, pk)
    can_shortlist = access.can_shortlist(user, challenge)
    own_seeds = access.editable_seeds(user).filter(pk__in=access.visible_seeds(user).values("pk"))
    proposals = Proposal.objects.filter(challenge=challenge).select_related("seed", "author")
    if not can_shortlist:
        proposals = proposals.filter(seed__in=own_seeds)  # a proposer sees only their own
    return render(
        request,
        "matching/challenge_detail.html",
        {
            "challenge": challenge,
            "need": challenge.need,
            "is_open": services.challenge_is_open(challenge),
            "can_shortlist": can_shortlist,
            "proposals": proposals,
            "can_propose": user.is_authenticated and own_seeds.exists(),
            "show_owner": access.shows_owner(user, challenge.need),
        },
    )


@signed_in_page
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access.access_challenge(request.user, pk)
    seeds = access.editable_seeds(request.user).filter(pk__in=access.visible_seeds(request.user).values("pk"))
    form = ProposalForm(request.POST or None, seeds=seeds)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_submit_proposal(request.user, challenge, form.cleaned_data["seed"], form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your proposal was sent."))
            return redirect(challenge)
    title = _("Answer the challenge %(title)s") % {"title": challenge.need.title}
    return _form_page(request, form, title, challenge.get_absolute_url())


@require_POST
@signed_in_page
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = Proposal.objects.select_related("challenge__need").filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal")
    access.access_challenge(request.user, proposal.challenge_id)
    try:
        services.do_set_proposal_status(request.user, proposal, request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect(proposal.challenge)
