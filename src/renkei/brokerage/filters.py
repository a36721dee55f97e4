from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renkei.brokerage import access
from renkei.brokerage.choices import InteractionKind
from renkei.brokerage.models import Interaction, Introduction
from renkei.core.models import TechField
from renkei.directory.access import visible_organisations
from renkei.directory.models import Organisation
from renkei.programs.models import Cluster


class TopicFilter(django_filters.CharFilter):
    """Every word in the topic. Notes are not searched: a confidential note must not be found
    by those who may not read it."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in (value or "").split()[:10]:
            qs = qs.filter(topic__icontains=word)
        return qs


class InteractionFilterSet(django_filters.FilterSet):
    q = TopicFilter(label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=InteractionKind.choices, label=_("Kind"))
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.none(), to_field_name="code", label=_("Cluster")
    )
    coordinator = django_filters.ModelChoiceFilter(queryset=None, label=_("Coordinator"))
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations", queryset=Organisation.objects.none(), label=_("Organisation"), distinct=True
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=pgettext_lazy("date range", "From")
    )
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Interaction
        fields = ["q", "kind", "cluster", "coordinator", "organisation", "date_from", "date_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from django.contrib.auth import get_user_model

        user = request.user
        seen = access.visible_interactions(user)
        self.filters["cluster"].queryset = access.clusters_seen(user)
        self.filters["coordinator"].queryset = (
            get_user_model().objects.filter(Q(pk__in=seen.values("coordinator_id"))).order_by("username")
        )
        self.filters["organisation"].queryset = visible_organisations(user)
        for name in ("date_from", "date_to"):
            self.filters[name].field.widget.input_type = "date"


class ConversionFilterSet(django_filters.FilterSet):
    """The conversion page's filters: coordinator, technology field and period of the introduction.
    The field is applied by conversion.compute_conversion (its rule needs the linked listings)."""

    coordinator = django_filters.ModelChoiceFilter(queryset=None, label=_("Coordinator"))
    field = django_filters.ModelChoiceFilter(
        queryset=TechField.objects.all(), to_field_name="code", label=_("Technology field"), method="by_field"
    )
    date_from = django_filters.DateFilter(
        field_name="introduced_on", lookup_expr="gte", label=pgettext_lazy("date range", "From")
    )
    date_to = django_filters.DateFilter(field_name="introduced_on", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Introduction
        fields = ["coordinator", "field", "date_from", "date_to"]

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        coordinators = Introduction.objects.filter(cluster=cluster).values("coordinator_id")
        self.filters["coordinator"].queryset = get_user_model().objects.filter(pk__in=coordinators).order_by("username")
        for name in ("date_from", "date_to"):
            self.filters[name].field.widget.input_type = "date"

    def by_field(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset
