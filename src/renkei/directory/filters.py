from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from renkei.core.filters import IdFilter, TextSearchFilter
from renkei.core.models import BureauRegion, Prefecture, RecordSource, TechField, Visibility
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.models import Cluster, Programme


class OrganisationFilterSet(django_filters.FilterSet):
    q = TextSearchFilter()
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    prefecture = django_filters.ModelChoiceFilter(queryset=Prefecture.objects.all(), label=_("Prefecture"))
    region = django_filters.ModelChoiceFilter(
        field_name="prefecture__region", queryset=BureauRegion.objects.all(), to_field_name="code", label=_("Region")
    )
    field = django_filters.ModelChoiceFilter(
        field_name="fields", queryset=TechField.objects.all(), to_field_name="code", label=_("Field")
    )
    programme = django_filters.ModelChoiceFilter(
        field_name="memberships__cluster__programme",
        queryset=Programme.objects.all(),
        to_field_name="code",
        label=_("Programme"),
        distinct=True,
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="memberships__cluster",
        queryset=Cluster.objects.all(),
        to_field_name="code",
        label=_("Cluster"),
        distinct=True,
    )
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("Source"))
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices, label=_("Visibility"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "prefecture", "region", "field", "programme", "cluster", "source", "visibility"]


class PersonFilterSet(django_filters.FilterSet):
    q = TextSearchFilter()
    organisation = IdFilter(field_name="affiliations__organisation", label=_("Organisation"))
    organisation_kind = django_filters.ChoiceFilter(
        field_name="affiliations__organisation__kind", choices=OrganisationKind.choices, label=_("Organisation kind")
    )
    prefecture = django_filters.ModelChoiceFilter(
        field_name="affiliations__organisation__prefecture", queryset=Prefecture.objects.all(), label=_("Prefecture")
    )
    field = django_filters.ModelChoiceFilter(
        field_name="fields", queryset=TechField.objects.all(), to_field_name="code", label=_("Field")
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="affiliations__organisation__memberships__cluster",
        queryset=Cluster.objects.all(),
        to_field_name="code",
        label=_("Cluster"),
    )
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("Source"))

    class Meta:
        model = Person
        fields = ["q", "organisation", "organisation_kind", "prefecture", "field", "cluster", "source"]

    JOINING = ("organisation", "organisation_kind", "prefecture", "cluster")

    def filter_queryset(self, queryset):
        # Filters through affiliations and memberships repeat a person once per path; only they
        # need DISTINCT, which on PostgreSQL costs more than the rest of the list query.
        filtered = super().filter_queryset(queryset)
        if any(self.form.cleaned_data.get(name) not in (None, "") for name in self.JOINING):
            return filtered.distinct()
        return filtered


class AffiliationFilterSet(django_filters.FilterSet):
    # Plain ids: a choice over every row would confirm that a hidden record exists.
    person = IdFilter(label=_("Person"))
    organisation = IdFilter(label=_("Organisation"))

    class Meta:
        model = Affiliation
        fields = ["person", "organisation", "is_primary"]
