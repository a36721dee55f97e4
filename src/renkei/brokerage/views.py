"""Pages of the coordinator's CRM. Records are fetched only through brokerage.access and written
only through brokerage.services, which check the permission again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renkei.brokerage import access, attachments, quick_entry, services
from renkei.brokerage.choices import PIPELINE, IntroductionStage
from renkei.brokerage.filters import InteractionFilterSet
from renkei.brokerage.forms import AttachmentForm, InteractionForm, IntroductionForm, StageMoveForm
from renkei.brokerage.models import Attachment, Interaction, Introduction
from renkei.core.access import page_access
from renkei.core.history import history_of
from renkei.core.listing import Column, RecordListView
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.forms import attach_errors
from renkei.programs.access import access_cluster

# Visitors are sent to sign in; signed-in users without a CRM role get 403.
crm_page = page_access(check=access.check_can_use_crm)


def _names(items) -> str:
    return ", ".join(str(i.name) for i in items)


# --- interactions -------------------------------------------------------------------------


class InteractionListView(RecordListView):
    filterset_class = InteractionFilterSet
    title = _("Interactions")
    export_name = "interactions"
    create_url_name = "brokerage:interaction_create"
    default_sort = "-date"
    # Notes stay out of the list and its export, so confidential notes never leave the detail page.
    columns = [
        Column("date", _("Date"), lambda i: i.date, sort="date"),
        Column("kind", _("Kind"), lambda i: i.get_kind_display(), sort="kind"),
        Column("topic", _("Topic"), lambda i: i.topic, sort="topic", link=True),
        Column("cluster", _("Cluster"), lambda i: i.cluster.name, sort="cluster__code"),
        Column(
            "coordinator", _("Coordinator"), lambda i: services.user_name(i.coordinator), sort="coordinator__username"
        ),
        Column("organisations", _("Organisations"), lambda i: _names(i.shown_organisations)),
        Column("people", _("People"), lambda i: _names(i.shown_people)),
        Column("follow_up", _("Next follow-up"), lambda i: i.next_follow_up_on, sort="next_follow_up_on"),
    ]

    def get_queryset(self) -> QuerySet:
        return access.visible_interactions(self.request.user)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        from django.db.models import Prefetch

        user = self.request.user
        return queryset.select_related("cluster", "coordinator").prefetch_related(
            Prefetch("organisations", queryset=visible_organisations(user), to_attr="shown_organisations"),
            Prefetch("people", queryset=visible_people(user), to_attr="shown_people"),
        )

    def can_create(self) -> bool:
        return access.writable_clusters(self.request.user).exists()


interaction_list = crm_page(InteractionListView.as_view())


def _notes_hidden_history(history):
    """Drop changes of the notes from the history for readers who may not read the notes."""
    label = str(Interaction._meta.get_field("notes").verbose_name)
    for entry in history:
        entry.changes = [c for c in entry.changes if c.field != label]
    return history


@crm_page
def interaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    interaction = access.access_interaction(user, pk)
    show_notes = access.can_see_notes(user, interaction)
    history = history_of(interaction)
    context: dict[str, Any] = {
        "interaction": interaction,
        "show_notes": show_notes,
        "organisations": interaction.organisations.filter(pk__in=visible_organisations(user).values("pk")),
        "people": interaction.people.filter(pk__in=visible_people(user).values("pk")),
        "can_edit": access.can_edit_interaction(user, interaction),
        "history": history if show_notes else _notes_hidden_history(history),
        **_attachments_context(user, interaction),
    }
    return render(request, "brokerage/interaction_detail.html", context)


def _forget_unsaved(instance) -> None:
    instance.pk = None
    instance._state.adding = True


def _interaction_form(request: HttpRequest, interaction: Interaction, title, cancel_url: str) -> HttpResponse:
    # Quick entry from an organisation's, person's or need's page (?organisation=, ?person=,
    # ?need=, ?seed=, ?cluster=); records the user may not see are ignored, never revealed.
    initial = quick_entry.interaction_initial(request.user, request.GET) if interaction.pk is None else {}
    form = InteractionForm(request.POST or None, instance=interaction, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        creating = form.instance.pk is None
        data = form.cleaned_data
        organisations, people = list(data["organisations"]), list(data["people"])
        if not creating:
            # Parties the editor cannot see are not in the form's choices; they stay on the record.
            user = request.user
            organisations += interaction.organisations.exclude(pk__in=visible_organisations(user).values("pk"))
            people += interaction.people.exclude(pk__in=visible_people(user).values("pk"))
        try:
            saved = services.do_save_interaction(
                request.user, form.instance, organisations=organisations, people=people
            )
        except ValidationError as error:
            if creating:
                _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, _("The interaction was saved."))
            return redirect(saved)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


@crm_page
def interaction_create(request: HttpRequest) -> HttpResponse:
    if not access.writable_clusters(request.user).exists():
        raise PermissionDenied
    return _interaction_form(request, Interaction(), _("Log an interaction"), reverse("brokerage:interaction_list"))


@crm_page
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = access.access_interaction(request.user, pk)
    access.check_can_edit_interaction(request.user, interaction)
    return _interaction_form(
        request, interaction, _("Edit %(topic)s") % {"topic": interaction.topic}, interaction.get_absolute_url()
    )


@require_POST
@crm_page
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = access.access_interaction(request.user, pk)
    services.do_mark_follow_up_done(request.user, interaction)
    messages.success(request, _("The follow-up was marked done."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("brokerage:follow_ups")
    return redirect(target)


@crm_page
def follow_ups(request: HttpRequest) -> HttpResponse:
    today = services.today()
    rows = list(services.overdue_follow_ups(request.user, on=today).select_related("cluster", "coordinator"))
    workload: dict[str, int] = {}
    for row in rows:
        row.days_overdue = (today - row.next_follow_up_on).days
        name = services.user_name(row.coordinator)
        workload[name] = workload.get(name, 0) + 1
    return render(
        request,
        "brokerage/follow_ups.html",
        {"rows": rows, "workload": sorted(workload.items())},
    )


# --- introductions ------------------------------------------------------------------------


@crm_page
def board_index(request: HttpRequest) -> HttpResponse:
    """The board of the user's cluster, or a choice when they see several."""
    clusters = list(access.clusters_seen(request.user))
    if len(clusters) == 1:
        return redirect("brokerage:board", code=clusters[0].code)
    return render(request, "brokerage/board_index.html", {"clusters": clusters})


@crm_page
def board(request: HttpRequest, code: str) -> HttpResponse:
    cluster = access_cluster(request.user, code)
    if not access.can_see_cluster(request.user, cluster):
        raise PermissionDenied
    introductions = access.visible_introductions(request.user).filter(cluster=cluster)
    counts = services.stage_counts(introductions)
    by_stage: dict[str, list[Introduction]] = {stage: [] for stage in IntroductionStage.values}
    for intro in introductions.select_related(
        "coordinator", "party_a_organisation", "party_a_person", "party_b_organisation", "party_b_person"
    ):
        by_stage[intro.stage].append(intro)
    columns = [
        {"stage": stage, "label": IntroductionStage(stage).label, "count": counts[stage], "items": by_stage[stage]}
        for stage in [*PIPELINE, IntroductionStage.CLOSED]
    ]
    return render(
        request,
        "brokerage/board.html",
        {
            "cluster": cluster,
            "columns": columns,
            "can_create": access.can_write_in(request.user, cluster.pk),
            "can_see_conversion": access.can_see_conversion(request.user, cluster),
        },
    )


@crm_page
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    introduction = access.access_introduction(user, pk)
    can_edit = access.can_edit_introduction(user, introduction)
    form = StageMoveForm(request.POST or None, initial={"on": services.today()})
    if request.method == "POST":
        access.check_can_edit_introduction(user, introduction)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.do_move_stage(user, introduction, data["to_stage"], on=data["on"], reason=data["reason"])
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The stage was changed."))
                return redirect(introduction)
    context = {
        "introduction": introduction,
        "parties": _visible_parties(user, introduction),
        "changes": introduction.stage_changes.select_related("by"),
        "can_edit": can_edit,
        "form": form,
        "history": history_of(introduction),
        **_attachments_context(user, introduction),
    }
    return render(request, "brokerage/introduction_detail.html", context, status=400 if form.errors else 200)


def _visible_parties(user, introduction: Introduction) -> list[list[Any]]:
    """Each side's organisation and person, left out where the reader may not see them."""
    org_ids = set(
        visible_organisations(user)
        .values_list("pk", flat=True)
        .filter(pk__in=[introduction.party_a_organisation_id, introduction.party_b_organisation_id])
    )
    person_ids = set(
        visible_people(user)
        .values_list("pk", flat=True)
        .filter(pk__in=[introduction.party_a_person_id, introduction.party_b_person_id])
    )
    sides = []
    for side in ("a", "b"):
        organisation = getattr(introduction, f"party_{side}_organisation")
        person = getattr(introduction, f"party_{side}_person")
        sides.append(
            [
                x
                for x in (
                    person if person and person.pk in person_ids else None,
                    organisation if organisation and organisation.pk in org_ids else None,
                )
                if x is not None
            ]
        )
    return sides


def _introduction_form(request: HttpRequest, introduction: Introduction, title, cancel_url: str) -> HttpResponse:
    initial: dict[str, Any] = {}
    if introduction.pk is None:
        # Quick entry from a need's seed suggestion: ?need=&seed= (and ?cluster=).
        initial.update(quick_entry.introduction_initial(request.user, request.GET))
        initial["introduced_on"] = services.today()
    form = IntroductionForm(request.POST or None, instance=introduction, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        creating = form.instance.pk is None
        try:
            saved = services.do_save_introduction(request.user, form.instance)
        except ValidationError as error:
            if creating:
                _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, _("The introduction was saved."))
            return redirect(saved)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


@crm_page
def introduction_create(request: HttpRequest) -> HttpResponse:
    if not access.writable_clusters(request.user).exists():
        raise PermissionDenied
    return _introduction_form(request, Introduction(), _("Record an introduction"), reverse("brokerage:board_index"))


@crm_page
def introduction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = access.access_introduction(request.user, pk)
    access.check_can_edit_introduction(request.user, introduction)
    return _introduction_form(
        request, introduction, _("Edit introduction %(name)s") % {"name": introduction}, introduction.get_absolute_url()
    )


# --- conversion (HQ) ----------------------------------------------------------------------


def _conversion_chart(rows, div_id: str) -> str:
    """Grouped bars: for each stage, the share of each group's introductions that reached it."""
    import plotly.graph_objects as go

    figure = go.Figure()
    labels = [str(stage.label) for stage in PIPELINE]
    for row in rows:
        figure.add_bar(name=row.label, x=labels, y=[round(100 * s, 1) for s in row.shares])
    figure.update_layout(
        barmode="group",
        yaxis={"title": str(_("Share of introductions (percent)")), "range": [0, 100]},
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        height=320,
        legend={"orientation": "h"},
    )
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id=div_id, config={"responsive": True})


@crm_page
def conversion(request: HttpRequest, code: str) -> HttpResponse:
    from renkei.brokerage.conversion import compute_conversion
    from renkei.brokerage.filters import ConversionFilterSet

    cluster = access_cluster(request.user, code)
    if not access.can_see_conversion(request.user, cluster):
        raise PermissionDenied
    introductions = access.visible_introductions(request.user).filter(cluster=cluster)
    filters = ConversionFilterSet(request.GET or None, queryset=introductions, cluster=cluster)
    field = None
    if filters.is_bound and filters.is_valid():
        introductions = filters.qs
        field = filters.form.cleaned_data.get("field")
    tables = compute_conversion(introductions, field=field, no_field_label=str(_("No field")))
    sections = [
        {"key": "years", "title": _("By fiscal year"), "rows": tables["years"]},
        {"key": "coordinators", "title": _("By coordinator"), "rows": tables["coordinators"]},
        {"key": "fields", "title": _("By technology field"), "rows": tables["fields"]},
    ]
    for section in sections:
        section["chart"] = _conversion_chart(section["rows"], f"conversion-{section['key']}") if section["rows"] else ""
    context = {
        "cluster": cluster,
        "stages": [stage.label for stage in PIPELINE],
        "sections": sections,
        "total": tables["total"][0],
        "filters": filters,
        "filtered": filters.is_bound,
    }
    return render(request, "brokerage/conversion.html", context, status=400 if filters.errors else 200)


# --- attachments --------------------------------------------------------------------------


def _attachments_context(user, record: Interaction | Introduction) -> dict[str, Any]:
    readable = access.can_read_attachments(user, record)
    rows = list(record.attachments.select_related("uploaded_by")) if readable else []
    for row in rows:
        row.can_delete = access.can_delete_attachment(user, row)
    kind = "interaction" if isinstance(record, Interaction) else "introduction"
    return {
        "attachments_readable": readable,
        "attachments": rows,
        "attachment_form": AttachmentForm() if access.can_add_attachment(user, record) else None,
        "attachment_upload_url": reverse(f"brokerage:{kind}_attach", args=[record.pk]),
        "attachment_max_mb": f"{attachments.max_bytes() / (1024 * 1024):g}",
    }


def _attach(request: HttpRequest, record: Interaction | Introduction) -> HttpResponse:
    if not access.can_add_attachment(request.user, record):
        raise PermissionDenied
    try:
        attachment = attachments.do_add_attachment(request.user, record, request.FILES.get("file"))
    except ValidationError as error:
        for message in error.message_dict.get("file", error.messages):
            messages.error(request, _("File: %(error)s") % {"error": message})
    else:
        messages.success(request, _("%(name)s was attached.") % {"name": attachment.name})
    return redirect(f"{record.get_absolute_url()}#attachments")


@require_POST
@crm_page
def interaction_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _attach(request, access.access_interaction(request.user, pk))


@require_POST
@crm_page
def introduction_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _attach(request, access.access_introduction(request.user, pk))


@crm_page
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, always as a download (never shown inline) with the type its extension allows."""
    attachment: Attachment = access.access_attachment(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from the storage") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachments.content_type_of(attachment)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@crm_page
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.access_attachment(request.user, pk)
    record = attachment.record
    attachments.do_delete_attachment(request.user, attachment)
    messages.success(request, _("%(name)s was deleted.") % {"name": attachment.name})
    return redirect(f"{record.get_absolute_url()}#attachments")
