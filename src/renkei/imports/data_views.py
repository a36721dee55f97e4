"""Pages of the imported reference data, for staff roles (the rule of `can_read_statistics`):

- /imports/statistics/ the regional industry statistics (e-Stat), filtered, exported, and charted
  by municipality;
- /imports/grants/ and /imports/grants/<id>/ the KAKEN grant projects with their researchers;
- /imports/patents/ and /imports/patents/<id>/ the patent applications with their applicants.

The imported records are public data and every staff role sees all of them; the directory records
they are linked to are shown (and linked) only where the viewer may see them, and the filters by
organisation or person match only links to records the viewer may see.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.core.access import page_access
from renkei.core.filters import IdFilter
from renkei.core.listing import Column, RecordListView
from renkei.core.models import IndustryClass, Municipality, Prefecture
from renkei.directory.access import visible_organisations, visible_people
from renkei.imports.access import (
    can_read_statistics,
    can_start_imports,
    visible_grant_projects,
    visible_patents,
    visible_statistics,
)
from renkei.imports.choices import PatentRightKind, StatisticsMeasure
from renkei.imports.filters import RegionalIndustryStatisticFilterSet
from renkei.imports.models import GrantProject, Patent

CHART_MUNICIPALITIES = 20


# Sign-in for anonymous visitors, 403 for roles other than staff.
staff_data_page = page_access(
    allow=can_read_statistics,
    message=gettext_lazy("Only national officers, cluster staff and coordinators see imported data."),
)


@method_decorator(staff_data_page, name="dispatch")
class DataListView(RecordListView):
    """A list of imported records: staff only, with links between the data pages."""

    template_name = "imports/data_list.html"
    data_page = ""

    def extra_context(self) -> dict[str, Any]:
        return {"data_page": self.data_page, "can_import": can_start_imports(self.request.user)}


# --- regional industry statistics -------------------------------------------------------------


def _industry_choices() -> list[tuple[str, str]]:
    classes = IndustryClass.objects.filter(
        level__in=[IndustryClass.Level.DIVISION, IndustryClass.Level.MAJOR_GROUP]
    ).order_by("code", "revision")
    seen: dict[str, str] = {}
    for industry in classes:
        # Revisions 12 and 13 share most codes; one choice a code (the filter matches by code).
        indent = "" if industry.level == IndustryClass.Level.DIVISION else "\u3000"
        seen.setdefault(industry.code, f"{indent}{industry.code} {industry.name}")
    return sorted(seen.items())


class StatisticsPageFilterSet(RegionalIndustryStatisticFilterSet):
    """The API's filters, with the prefecture and the industry as choices on the page."""

    prefecture = django_filters.ModelChoiceFilter(
        field_name="municipality__prefecture",
        queryset=Prefecture.objects.order_by("code"),
        label=gettext_lazy("Prefecture"),
        empty_label=gettext_lazy("All"),
    )
    industry = django_filters.ChoiceFilter(
        choices=_industry_choices,
        method="filter_industry",
        label=gettext_lazy("Industry (JSIC division or major group)"),
        empty_label=gettext_lazy("All"),
    )


def _value(figure) -> int | str:
    return figure.value if figure.value is not None else figure.symbol


class RegionalStatisticsListView(DataListView):
    title = gettext_lazy("Regional industry statistics")
    export_name = "regional-industry-statistics"
    default_sort = "-year"
    filterset_class = StatisticsPageFilterSet
    data_page = "statistics"
    columns = [
        Column("survey", gettext_lazy("Survey"), lambda s: s.get_survey_display(), sort="survey"),
        Column("year", gettext_lazy("Year"), lambda s: s.year, sort="year"),
        Column("prefecture", gettext_lazy("Prefecture"), lambda s: s.municipality.prefecture.name),
        Column("code", gettext_lazy("Local government code"), lambda s: s.municipality_id, sort="municipality"),
        Column("municipality", gettext_lazy("Municipality"), lambda s: s.municipality.name),
        Column("industry_code", gettext_lazy("JSIC code"), lambda s: s.industry.code, sort="industry__code"),
        Column("industry", gettext_lazy("Industry (JSIC)"), lambda s: s.industry.name),
        Column("measure", gettext_lazy("Measure"), lambda s: s.get_measure_display(), sort="measure"),
        Column("value", gettext_lazy("Value"), _value, sort="value"),
        Column("annotation", gettext_lazy("Annotation"), lambda s: s.annotation),
    ]

    def get_queryset(self) -> QuerySet:
        return visible_statistics(self.request.user)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("municipality__prefecture", "industry")

    def extra_context(self) -> dict[str, Any]:
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset(), request=self.request)
        return super().extra_context() | {
            "chart": compute_statistics_chart(filterset.qs),
            "chart_limit": CHART_MUNICIPALITIES,
        }


def compute_statistics_chart(figures: QuerySet) -> dict[str, Any]:
    """The filtered figures summed by municipality, the largest CHART_MUNICIPALITIES, as a plotly
    bar chart. Only when the figures are of one survey, year and measure: a sum across them would
    mean nothing. Of an industry and its major groups, only the broadest level present is
    summed, so no employee is counted twice."""
    combinations = list(figures.order_by().values_list("survey", "year", "measure").distinct()[:2])
    if len(combinations) != 1:
        return {"message": _("Choose one survey, year and measure to chart the figures by municipality.")}
    divisions = figures.filter(industry__level=IndustryClass.Level.DIVISION)
    summed = divisions if divisions.exists() else figures
    totals = list(
        summed.filter(value__isnull=False)
        .order_by()
        .values("municipality")
        .annotate(total=Sum("value"))
        .order_by("-total", "municipality")[:CHART_MUNICIPALITIES]
    )
    if not totals:
        return {"message": _("No figures to chart.")}
    municipalities = Municipality.objects.select_related("prefecture").filter(
        pk__in=[t["municipality"] for t in totals]
    )
    names = {m.pk: f"{m.prefecture.name} {m.name}" for m in municipalities}
    label = str(StatisticsMeasure(combinations[0][2]).label)
    return {"html": _bar_chart([names[t["municipality"]] for t in totals], [t["total"] for t in totals], label)}


def _bar_chart(labels: list[str], values: list[int], measure: str) -> str:
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=labels, y=values, name=measure))
    figure.update_layout(
        margin={"l": 40, "r": 10, "t": 10, "b": 120},
        height=360,
        yaxis_title=measure,
        xaxis_tickangle=-45,
    )
    return figure.to_html(
        include_plotlyjs=False, full_html=False, div_id="statistics-chart", config={"responsive": True}
    )


statistics_list = RegionalStatisticsListView.as_view()


# --- grant projects ---------------------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    """A year as a whole number from 1 to 9999, so a fraction or an absurd year is named as an
    error on the form rather than reaching the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class VisibleLinkFilterMixin:
    """Filters by a linked organisation or person match only links the viewer may see, so a
    filter cannot tell which imported records point at a hidden directory record."""

    def filter_organisation(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        visible = visible_organisations(self.request.user).filter(pk=value)
        return queryset.filter(**{f"{name}__in": visible}).distinct()

    def filter_person(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        visible = visible_people(self.request.user).filter(pk=value)
        return queryset.filter(**{f"{name}__in": visible}).distinct()


class GrantProjectFilterSet(VisibleLinkFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=gettext_lazy("Search"))
    category = django_filters.CharFilter(
        field_name="category", lookup_expr="icontains", label=gettext_lazy("Research category")
    )
    fiscal_year = YearFilter(method="filter_fiscal_year", label=gettext_lazy("Fiscal year"))
    institution = IdFilter(
        field_name="institution", method="filter_organisation", label=gettext_lazy("Institution (id)")
    )
    person = IdFilter(field_name="members__person", method="filter_person", label=gettext_lazy("Researcher (id)"))

    class Meta:
        model = GrantProject
        fields = ["q", "category", "fiscal_year", "institution", "person"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for word in value.split()[:10]:
            condition &= (
                Q(award_number__iexact=word)
                | Q(title_ja__icontains=word)
                | Q(title_en__icontains=word)
                | Q(keywords__icontains=word)
                | Q(institution_name__icontains=word)
            )
        return queryset.filter(condition)

    def filter_fiscal_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        """Projects running in fiscal year VALUE (an open end counts as running)."""
        return queryset.filter(
            Q(start_fiscal_year__lte=value) | Q(start_fiscal_year__isnull=True),
            Q(end_fiscal_year__gte=value) | Q(end_fiscal_year__isnull=True),
        ).exclude(start_fiscal_year__isnull=True, end_fiscal_year__isnull=True)


def _fiscal_years(project: GrantProject) -> str:
    if project.start_fiscal_year == project.end_fiscal_year:
        return str(project.start_fiscal_year or "")
    return f"{project.start_fiscal_year or ''}–{project.end_fiscal_year or ''}"


class GrantProjectListView(DataListView):
    title = gettext_lazy("Grant projects (KAKEN)")
    export_name = "grant-projects"
    default_sort = "-years"
    filterset_class = GrantProjectFilterSet
    data_page = "grants"
    columns = [
        Column("award", gettext_lazy("Award number"), lambda p: p.award_number, sort="award_number", link=True),
        Column("title", gettext_lazy("Project title"), lambda p: p.title_ja or p.title_en),
        Column("category", gettext_lazy("Research category"), lambda p: p.category, sort="category"),
        Column("institution", gettext_lazy("Institution (as published)"), lambda p: p.institution_name),
        Column("years", gettext_lazy("Fiscal years"), _fiscal_years, sort="start_fiscal_year"),
        Column("total_cost", gettext_lazy("Total (yen)"), lambda p: p.total_cost, sort="total_cost"),
    ]

    def get_queryset(self) -> QuerySet:
        return visible_grant_projects(self.request.user)


grant_list = GrantProjectListView.as_view()


@staff_data_page
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One grant project, its researchers and its institution, linked where the viewer may see them."""
    project = get_object_or_404(visible_grant_projects(request.user), pk=pk)
    rows = list(project.members.select_related("person").order_by("sequence"))
    shown = set(
        visible_people(request.user)
        .filter(pk__in=[m.person_id for m in rows if m.person_id])
        .values_list("pk", flat=True)
    )
    members = [(member, member.person if member.person_id in shown else None) for member in rows]
    institution = None
    if project.institution_id and visible_organisations(request.user).filter(pk=project.institution_id).exists():
        institution = project.institution
    return render(
        request,
        "imports/grant_detail.html",
        {
            "project": project,
            "members": members,
            "institution": institution,
            "data_page": "grants",
            "can_import": can_start_imports(request.user),
        },
    )


# --- patents ----------------------------------------------------------------------------------


class PatentFilterSet(VisibleLinkFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=gettext_lazy("Search"))
    kind = django_filters.ChoiceFilter(
        choices=PatentRightKind.choices, label=gettext_lazy("Kind"), empty_label=gettext_lazy("All")
    )
    filed_year = YearFilter(field_name="application_date", lookup_expr="year", label=gettext_lazy("Year filed"))
    registered = django_filters.BooleanFilter(method="filter_registered", label=gettext_lazy("Granted (registered)"))
    organisation = IdFilter(
        field_name="applicants__organisation", method="filter_organisation", label=gettext_lazy("Applicant (id)")
    )

    class Meta:
        model = Patent
        fields = ["q", "kind", "filed_year", "registered", "organisation"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for word in value.split()[:10]:
            condition &= (
                Q(application_number__iexact=word)
                | Q(application_number_as_published__iexact=word)
                | Q(title__icontains=word)
                | Q(applicants_text__icontains=word)
                | Q(ipc__icontains=word)
            )
        return queryset.filter(condition)

    def filter_registered(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.exclude(registration_number="") if value else queryset.filter(registration_number="")


class PatentListView(DataListView):
    title = gettext_lazy("Patents")
    export_name = "patents"
    default_sort = "-filed"
    filterset_class = PatentFilterSet
    data_page = "patents"
    columns = [
        Column(
            "number",
            gettext_lazy("Application number"),
            lambda p: p.application_number,
            sort="application_number",
            link=True,
        ),
        Column("title", gettext_lazy("Title of the invention"), lambda p: p.title),
        Column("kind", gettext_lazy("Kind"), lambda p: p.get_kind_display(), sort="kind"),
        Column("filed", gettext_lazy("Filed on"), lambda p: p.application_date, sort="application_date"),
        Column("applicants", gettext_lazy("Applicants (as published)"), lambda p: p.applicants_text),
        Column("registration", gettext_lazy("Registration number"), lambda p: p.registration_number),
    ]

    def get_queryset(self) -> QuerySet:
        return visible_patents(self.request.user)


patent_list = PatentListView.as_view()


@staff_data_page
def patent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One patent application and its applicants, linked to organisations the viewer may see."""
    patent = get_object_or_404(visible_patents(request.user), pk=pk)
    rows = list(patent.applicants.select_related("organisation").order_by("sequence"))
    shown = set(
        visible_organisations(request.user)
        .filter(pk__in=[a.organisation_id for a in rows if a.organisation_id])
        .values_list("pk", flat=True)
    )
    applicants = [
        (applicant, applicant.organisation if applicant.organisation_id in shown else None) for applicant in rows
    ]
    return render(
        request,
        "imports/patent_detail.html",
        {
            "patent": patent,
            "applicants": applicants,
            "data_page": "patents",
            "can_import": can_start_imports(request.user),
        },
    )
