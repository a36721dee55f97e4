"""Pages of programmes and clusters: lists, detail pages (members by kind, HQ, budgets, history)
and the forms that change a cluster's members, HQ positions and budgets. Records are fetched only
through programs.access and written only through the services, which check permission again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renkei.accounts.scope import scope_for
from renkei.core.access import page_access, signed_in_page
from renkei.core.display import field_rows
from renkei.core.history import KIND_LABELS, Change, HistoryEntry, history_of
from renkei.core.listing import Column, RecordListView
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.choices import OrganisationKind
from renkei.programs import access, services
from renkei.programs.choices import BudgetSource, PositionKind
from renkei.programs.filters import ClusterFilterSet, ProgrammeFilterSet
from renkei.programs.forms import BudgetForm, ClusterForm, HQPositionForm, MembershipForm, ProgrammeForm
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def _sort_name():
    """Japanese lists sort by the Japanese name, English ones by the English name."""
    if _english():
        return Coalesce(NullIf(F("name_en"), Value("")), F("name_ja"))
    return Coalesce(NullIf(F("name_ja"), Value("")), F("name_en"))


def _period(start, end) -> str:
    if start is None and end is None:
        return ""
    return f"FY{start or '?'}–{'FY' + str(end) if end else ''}"


def _names(items) -> str:
    return ", ".join(str(item.name) for item in items)


def visible_member_count(user) -> Coalesce:
    """Distinct member organisations of a cluster that `user` may see, as an annotation.

    A correlated subquery per cluster rather than a COUNT(DISTINCT) over the join of every
    membership with the other annotations: on the demo's 22,000 memberships that join made the
    cluster list several times slower."""
    members = Membership.objects.filter(cluster=OuterRef("pk"))
    if not scope_for(user).reads_all:
        members = members.filter(organisation__in=visible_organisations(user).values("pk"))
    counted = members.order_by().values("cluster").annotate(n=Count("organisation", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- lists ------------------------------------------------------------------------------


class ProgrammeListView(RecordListView):
    filterset_class = ProgrammeFilterSet
    title = _("Programmes")
    export_name = "programmes"
    create_url_name = "programs:programme_create"
    default_sort = "period"
    columns = [
        Column("name", _("Name"), lambda p: p.name, sort="sort_name", link=True),
        Column("code", _("Code"), lambda p: p.code, sort="code"),
        Column("ministry", _("Ministry"), lambda p: p.get_ministry_display(), sort="ministry"),
        Column("phase", _("Phase"), lambda p: p.phase),
        Column("period", _("Period"), lambda p: _period(p.start_fy, p.end_fy), sort="start_fy"),
        Column("clusters", _("Clusters"), lambda p: p.cluster_count, sort="cluster_count"),
    ]

    def get_queryset(self) -> QuerySet[Programme]:
        return access.visible_programmes(self.request.user).annotate(
            sort_name=_sort_name(), cluster_count=Count("clusters", distinct=True)
        )

    def can_create(self) -> bool:
        return access.can_manage_programmes(self.request.user)


def _cluster_badge(cluster: Cluster) -> str | None:
    return str(_("trial")) if cluster.is_trial else None


class ClusterListView(RecordListView):
    filterset_class = ClusterFilterSet
    title = _("Clusters")
    export_name = "clusters"
    create_url_name = "programs:cluster_create"
    default_sort = "programme"
    columns = [
        Column("name", _("Name"), lambda c: c.name, sort="sort_name", link=True, badge=_cluster_badge),
        Column("programme", _("Programme"), lambda c: c.programme.name, sort="programme__start_fy"),
        Column(
            "region",
            _("Region"),
            lambda c: c.bureau_region.name if c.bureau_region else "",
            sort="bureau_region__sort_order",
        ),
        Column("prefectures", _("Prefectures"), lambda c: _names(c.prefectures.all())),
        Column("fields", _("Fields"), lambda c: _names(c.fields.all())),
        Column("period", _("Period"), lambda c: _period(c.start_fy, c.end_fy), sort="start_fy"),
        Column("members", _("Members"), lambda c: c.member_count, sort="member_count"),
        Column("verified", _("Verified"), lambda c: str(_("yes")) if c.verified else str(_("no")), sort="verified"),
    ]

    def get_queryset(self) -> QuerySet[Cluster]:
        return access.visible_clusters(self.request.user).annotate(
            sort_name=_sort_name(), member_count=visible_member_count(self.request.user)
        )

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("programme", "bureau_region").prefetch_related("prefectures", "fields")

    def can_create(self) -> bool:
        return access.can_manage_programmes(self.request.user)


programme_list = ProgrammeListView.as_view()
cluster_list = ClusterListView.as_view()


# --- detail pages -----------------------------------------------------------------------


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    programme = access.access_programme(user, code)
    clusters = (
        access.visible_clusters(user)
        .filter(programme=programme)
        .annotate(member_count=visible_member_count(user))
        .select_related("bureau_region")
        .order_by("code")
    )
    context = {
        "programme": programme,
        "rows": field_rows(programme, ["code", "name_ja", "name_en", "ministry", "phase", "start_fy", "end_fy"]),
        "clusters": clusters,
        "can_edit": access.can_manage_programmes(user),
        "history": history_of(programme) if scope_for(user).reads_all else None,
    }
    return render(request, "programs/programme_detail.html", context)


POSITION_ORDER = {kind: index for index, kind in enumerate(PositionKind.values)}
KIND_ORDER = {kind: index for index, kind in enumerate(OrganisationKind.values)}


def members_by_kind(memberships) -> list[dict[str, Any]]:
    """Memberships grouped by the organisation's kind, in the order of OrganisationKind; each
    group counts distinct organisations (one may hold several roles in a cluster)."""
    groups: dict[str, list[Membership]] = defaultdict(list)
    for membership in memberships:
        groups[membership.organisation.kind].append(membership)
    return [
        {
            "kind": kind,
            "label": OrganisationKind(kind).label,
            "count": len({m.organisation_id for m in items}),
            "memberships": items,
        }
        for kind, items in sorted(groups.items(), key=lambda item: KIND_ORDER.get(item[0], len(KIND_ORDER)))
    ]


def budget_table(budgets) -> tuple[list[str], list[dict[str, Any]]]:
    """Fiscal years as rows, the sources present as columns, with a total per year."""
    sources = [s for s in BudgetSource.values if any(b.source == s for b in budgets)]
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    estimates: set[int] = set()
    for budget in budgets:
        by_year[budget.fiscal_year][budget.source] = budget.amount_yen
        if budget.is_estimate:
            estimates.add(budget.fiscal_year)
    rows = [
        {
            "fiscal_year": year,
            "amounts": [by_year[year].get(source) for source in sources],
            "total": sum(by_year[year].values()),
            "estimate": year in estimates,
        }
        for year in sorted(by_year)
    ]
    return sources, rows


def budget_chart(budgets) -> str:
    """A stacked bar chart of the budget by fiscal year and source, as an HTML fragment that
    needs plotly.js on the page (served locally)."""
    if not budgets:
        return ""
    figure = go.Figure()
    for source in BudgetSource:
        items = [b for b in budgets if b.source == source.value]
        if items:
            figure.add_bar(
                name=str(source.label), x=[f"FY{b.fiscal_year}" for b in items], y=[b.amount_yen for b in items]
            )
    figure.update_layout(
        barmode="stack",
        yaxis_title=str(_("yen")),
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        height=320,
        legend={"orientation": "h"},
    )
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id="budget-chart", config={"responsive": True})


def cluster_history(user, cluster: Cluster, limit: int = 50) -> list[dict[str, Any]]:
    """Changes to the cluster and to its memberships, HQ positions and budgets, newest first.
    Each entry names the record it is about; organisations and people the reader may not see
    (say, a restricted company since removed from the cluster) are not named."""
    entries = [{"record": str(_("Cluster")), "entry": entry} for entry in history_of(cluster, limit)]
    org_names = {
        o.pk: o.name
        for o in visible_organisations(user).filter(
            pk__in=Membership.history.filter(cluster_id=cluster.pk).values("organisation_id")
        )
    }
    person_names = {
        p.pk: p.name
        for p in visible_people(user).filter(
            pk__in=HQPosition.history.filter(cluster_id=cluster.pk).values("person_id")
        )
    }
    hidden = str(_("(not visible to you)"))

    def describe_membership(record) -> str:
        return _("Membership: %(organisation)s") % {"organisation": org_names.get(record.organisation_id, hidden)}

    def describe_position(record) -> str:
        return _("HQ position: %(person)s") % {"person": person_names.get(record.person_id, hidden)}

    def describe_budget(record) -> str:
        return _("Budget: FY%(year)s") % {"year": record.fiscal_year}

    children: list[tuple[type, Callable[[Any], str], set[str]]] = [
        (Membership, describe_membership, {"cluster", "organisation"}),
        (HQPosition, describe_position, {"cluster", "person"}),
        (Budget, describe_budget, {"cluster"}),
    ]
    for model, describe, hide_fields in children:
        # Oldest first so each version can be compared with the one before it of the same row.
        records = list(
            model.history.filter(cluster_id=cluster.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        previous: dict[int, Any] = {}
        for record in records:
            changes = []
            before = previous.get(record.id)
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                changes = [
                    Change(str(model._meta.get_field(c.field).verbose_name), c.old, c.new)
                    for c in delta.changes
                    if c.field not in hide_fields
                ]
            previous[record.id] = record
            user_obj = record.history_user
            entries.append(
                {
                    "record": describe(record),
                    "entry": HistoryEntry(
                        at=record.history_date,
                        who=user_obj.get_username() if user_obj else str(_("system")),
                        kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                        reason=record.history_change_reason or "",
                        changes=changes,
                    ),
                }
            )
    entries.sort(key=lambda item: item["entry"].at, reverse=True)
    return entries[:limit]


def cluster_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    cluster = access.access_cluster(user, code)
    memberships = list(
        access.visible_memberships(user)
        .filter(cluster=cluster)
        .select_related("organisation__prefecture")
        .order_by("organisation__name_kana", "organisation__name_ja", "organisation__name_en", "role", "pk")
    )
    positions = sorted(
        access.visible_positions(user).filter(cluster=cluster).select_related("person"),
        key=lambda p: (POSITION_ORDER.get(p.kind, 99), p.start_on is None, p.start_on, p.pk),
    )
    budgets = list(access.visible_budgets(user).filter(cluster=cluster).order_by("fiscal_year", "source"))
    sources, budget_rows = budget_table(budgets)
    promotion = cluster.promotion_organisation
    if promotion is not None and not visible_organisations(user).filter(pk=promotion.pk).exists():
        promotion = None
    context = {
        "cluster": cluster,
        "rows": field_rows(
            cluster, ["code", "name_ja", "name_en", "region_label", "bureau_region", "theme", "start_fy", "end_fy"]
        ),
        "prefectures": list(cluster.prefectures.all()),
        "technology_fields": list(cluster.fields.all()),
        "promotion_organisation": promotion,
        "member_groups": members_by_kind(memberships),
        "member_total": len({m.organisation_id for m in memberships}),
        "positions": positions,
        "budget_sources": [BudgetSource(s).label for s in sources],
        "budget_rows": budget_rows,
        "budget_total": sum(b.amount_yen for b in budgets),
        "budgets": budgets,
        "budget_chart": budget_chart(budgets),
        "can_edit": access.can_edit_cluster(user, cluster),
        "history": cluster_history(user, cluster) if access.can_see_cluster_history(user, cluster) else None,
    }
    return render(request, "programs/cluster_detail.html", context)


# --- forms ------------------------------------------------------------------------------


def _form_page(request: HttpRequest, form, title, cancel_url: str, delete_url: str | None = None) -> HttpResponse:
    return render(
        request,
        "programs/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "delete_url": delete_url},
    )


@page_access(allow=access.can_manage_programmes)
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.do_save_programme(request.user, form.instance)
        except ValidationError as error:
            form.instance.pk = None
            form.add_service_error(error)
        else:
            messages.success(request, _("The programme was added."))
            return redirect(programme)
    return _form_page(request, form, _("Add a programme"), reverse("programs:programme_list"))


@signed_in_page
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = access.access_programme(request.user, code)
    if not access.can_manage_programmes(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_programme(request.user, form.instance)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect(programme)
    title = _("Edit %(name)s") % {"name": programme.name}
    return _form_page(request, form, title, programme.get_absolute_url())


def _save_cluster(request: HttpRequest, form: ClusterForm) -> Cluster | None:
    try:
        return services.do_save_cluster(
            request.user,
            form.instance,
            prefectures=form.cleaned_data["prefectures"],
            fields=form.cleaned_data["fields"],
        )
    except ValidationError as error:
        form.add_service_error(error)
        return None


@page_access(allow=access.can_manage_programmes)
def cluster_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("programme"):
        initial["programme"] = access.visible_programmes(request.user).filter(code=request.GET["programme"]).first()
    form = ClusterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        cluster = _save_cluster(request, form)
        if cluster is not None:
            messages.success(request, _("The cluster was added."))
            return redirect(cluster)
        form.instance.pk = None
    return _form_page(request, form, _("Add a cluster"), reverse("programs:cluster_list"))


@signed_in_page
def cluster_edit(request: HttpRequest, code: str) -> HttpResponse:
    cluster = access.access_cluster(request.user, code)
    if not access.can_edit_cluster(request.user, cluster):
        raise PermissionDenied
    form = ClusterForm(request.POST or None, instance=cluster, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_cluster(request, form) is not None:
        messages.success(request, _("The cluster was saved."))
        return redirect(cluster)
    title = _("Edit %(name)s") % {"name": cluster.name}
    return _form_page(request, form, title, cluster.get_absolute_url())


def _editable_cluster(request: HttpRequest, code: str) -> Cluster:
    cluster = access.access_cluster(request.user, code)
    if not access.can_edit_cluster(request.user, cluster):
        raise PermissionDenied
    return cluster


def _child_form(request: HttpRequest, form, save, message, title, cluster: Cluster, delete_url=None) -> HttpResponse:
    """Show and handle a form for one of a cluster's memberships, HQ positions or budgets."""
    if request.method == "POST" and form.is_valid():
        creating = form.instance.pk is None
        try:
            save(request.user, form.instance)
        except ValidationError as error:
            if creating:
                form.instance.pk = None
            form.add_service_error(error)
        else:
            messages.success(request, message)
            return redirect(cluster)
    return _form_page(request, form, title, cluster.get_absolute_url(), delete_url)


def _access_child(user, queryset: QuerySet, pk: int):
    """A membership, position or budget the user may see (404 otherwise), with its cluster;
    403 if the user may see it but not change the cluster."""
    record = queryset.select_related("cluster").filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    if not access.can_edit_cluster(user, record.cluster):
        raise PermissionDenied
    return record


@signed_in_page
def membership_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _editable_cluster(request, code)
    form = MembershipForm(request.POST or None, instance=Membership(cluster=cluster), user=request.user)
    title = _("Add a member to %(name)s") % {"name": cluster.name}
    return _child_form(request, form, services.do_save_membership, _("The member was added."), title, cluster)


@signed_in_page
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _access_child(request.user, access.visible_memberships(request.user), pk)
    form = MembershipForm(request.POST or None, instance=membership, user=request.user)
    title = _("Membership in %(name)s") % {"name": membership.cluster.name}
    delete_url = reverse("programs:membership_delete", args=[membership.pk])
    return _child_form(
        request,
        form,
        services.do_save_membership,
        _("The membership was saved."),
        title,
        membership.cluster,
        delete_url,
    )


@signed_in_page
def position_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _editable_cluster(request, code)
    form = HQPositionForm(request.POST or None, instance=HQPosition(cluster=cluster), user=request.user)
    title = _("Add an HQ position to %(name)s") % {"name": cluster.name}
    return _child_form(request, form, services.do_save_position, _("The position was added."), title, cluster)


@signed_in_page
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = _access_child(request.user, access.visible_positions(request.user), pk)
    form = HQPositionForm(request.POST or None, instance=position, user=request.user)
    title = _("HQ position in %(name)s") % {"name": position.cluster.name}
    delete_url = reverse("programs:position_delete", args=[position.pk])
    return _child_form(
        request, form, services.do_save_position, _("The position was saved."), title, position.cluster, delete_url
    )


@signed_in_page
def budget_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _editable_cluster(request, code)
    form = BudgetForm(request.POST or None, instance=Budget(cluster=cluster))
    title = _("Add a budget to %(name)s") % {"name": cluster.name}
    return _child_form(request, form, services.do_save_budget, _("The budget was added."), title, cluster)


@signed_in_page
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _access_child(request.user, access.visible_budgets(request.user), pk)
    form = BudgetForm(request.POST or None, instance=budget)
    title = _("Budget of %(name)s") % {"name": budget.cluster.name}
    delete_url = reverse("programs:budget_delete", args=[budget.pk])
    return _child_form(
        request, form, services.do_save_budget, _("The budget was saved."), title, budget.cluster, delete_url
    )


def _delete(request: HttpRequest, queryset: QuerySet, pk: int, delete, message) -> HttpResponse:
    record = _access_child(request.user, queryset, pk)
    delete(request.user, record)
    messages.success(request, message)
    return redirect(record.cluster)


@require_POST
@signed_in_page
def membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = access.visible_memberships(request.user)
    return _delete(request, queryset, pk, services.do_delete_membership, _("The membership was removed."))


@require_POST
@signed_in_page
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = access.visible_positions(request.user)
    return _delete(request, queryset, pk, services.do_delete_position, _("The position was removed."))


@require_POST
@signed_in_page
def budget_delete(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = access.visible_budgets(request.user)
    return _delete(request, queryset, pk, services.do_delete_budget, _("The budget was removed."))
