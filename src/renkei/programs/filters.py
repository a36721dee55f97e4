from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from renkei.core.filters import IdFilter, TextSearchFilter
from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.programs.choices import Ministry
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


class ProgrammeFilterSet(django_filters.FilterSet):
    ministry = django_filters.ChoiceFilter(choices=Ministry.choices, label=_("Ministry"))

    class Meta:
        model = Programme
        fields = ["ministry"]


class ClusterFilterSet(django_filters.FilterSet):
    q = TextSearchFilter()
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), to_field_name="code", label=_("Programme")
    )
    ministry = django_filters.ChoiceFilter(
        field_name="programme__ministry", choices=Ministry.choices, label=_("Ministry")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="bureau_region", queryset=BureauRegion.objects.all(), to_field_name="code", label=_("Region")
    )
    prefecture = django_filters.ModelChoiceFilter(
        field_name="prefectures", queryset=Prefecture.objects.all(), label=_("Prefecture"), distinct=True
    )
    field = django_filters.ModelChoiceFilter(
        field_name="fields", queryset=TechField.objects.all(), to_field_name="code", label=_("Field"), distinct=True
    )
    verified = django_filters.BooleanFilter(label=_("Verified in the public record"))

    class Meta:
        model = Cluster
        fields = ["q", "programme", "ministry", "region", "prefecture", "field", "verified"]


# Organisations and people are filtered by plain id, not a choice over every row: a "not a valid
# choice" error would tell a user that a record they may not see exists.


class MembershipFilterSet(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all(), to_field_name="code", label=_("Cluster"))
    organisation = IdFilter(label=_("Organisation"))

    class Meta:
        model = Membership
        fields = ["cluster", "organisation", "role"]


class HQPositionFilterSet(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all(), to_field_name="code", label=_("Cluster"))
    person = IdFilter(label=_("Person"))

    class Meta:
        model = HQPosition
        fields = ["cluster", "person", "kind"]


class BudgetFilterSet(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all(), to_field_name="code", label=_("Cluster"))

    class Meta:
        model = Budget
        fields = ["cluster", "fiscal_year", "source"]
