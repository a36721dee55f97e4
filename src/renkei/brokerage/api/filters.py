"""The CRM API's filters: the interaction list's filters of the pages plus the follow-ups, and the
introductions' cluster, coordinator, stage and period."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renkei.brokerage import access
from renkei.brokerage.choices import IntroductionStage
from renkei.brokerage.filters import InteractionFilterSet, TopicFilter
from renkei.brokerage.models import Introduction


class InteractionAPIFilterSet(InteractionFilterSet):
    follow_up_before = django_filters.DateFilter(
        field_name="next_follow_up_on",
        lookup_expr="lt",
        label=_("Follow-up before"),
        help_text="YYYY-MM-DD: interactions whose next follow-up falls before this date.",
    )
    follow_up_done = django_filters.BooleanFilter(label=_("Follow-up done"))

    class Meta(InteractionFilterSet.Meta):
        fields = [*InteractionFilterSet.Meta.fields, "follow_up_before", "follow_up_done"]


class IntroductionAPIFilterSet(django_filters.FilterSet):
    q = TopicFilter(label=_("Search"), help_text="Words in the topic (notes are not searched).")
    cluster = django_filters.ModelChoiceFilter(queryset=None, to_field_name="code", label=_("Cluster"))
    coordinator = django_filters.ModelChoiceFilter(queryset=None, label=_("Coordinator"))
    stage = django_filters.MultipleChoiceFilter(
        choices=IntroductionStage.choices, label=_("Stage"), help_text="One or more stages (repeat the parameter)."
    )
    date_from = django_filters.DateFilter(
        field_name="introduced_on", lookup_expr="gte", label=pgettext_lazy("date range", "From")
    )
    date_to = django_filters.DateFilter(field_name="introduced_on", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Introduction
        fields = ["q", "cluster", "coordinator", "stage", "date_from", "date_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["cluster"].queryset = access.clusters_seen(user)
        seen = access.visible_introductions(user)
        self.filters["coordinator"].queryset = (
            get_user_model().objects.filter(pk__in=seen.values("coordinator_id")).order_by("username")
        )
