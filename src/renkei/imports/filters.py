"""Filters of the import lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renkei.core.filters import IdFilter
from renkei.imports.choices import ImportSource, LinkKind, ReviewStatus, StatisticsMeasure, StatisticsSurvey
from renkei.imports.models import RegionalIndustryStatistic, ReviewItem


class ReviewItemFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Status"), empty_label=_("All"))
    kind = django_filters.ChoiceFilter(choices=LinkKind.choices, label=_("Link"), empty_label=_("All"))
    source = django_filters.ChoiceFilter(
        field_name="run__source", choices=ImportSource.choices, label=_("Source"), empty_label=_("All")
    )
    run = IdFilter(field_name="run_id", label=_("Import run"))
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = ReviewItem
        fields = ["status", "kind", "source", "run", "name"]


class RegionalIndustryStatisticFilterSet(django_filters.FilterSet):
    survey = django_filters.ChoiceFilter(choices=StatisticsSurvey.choices, label=_("Survey"), empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Year"))
    measure = django_filters.ChoiceFilter(choices=StatisticsMeasure.choices, label=_("Measure"), empty_label=_("All"))
    prefecture = django_filters.CharFilter(field_name="municipality__prefecture_id", label=_("Prefecture (JIS code)"))
    municipality = django_filters.CharFilter(
        field_name="municipality_id", label=_("Municipality (6-digit local government code)")
    )
    industry = django_filters.CharFilter(
        method="filter_industry", label=_("Industry (JSIC code; a division takes its major groups too)")
    )

    class Meta:
        model = RegionalIndustryStatistic
        fields = ["survey", "year", "measure", "prefecture", "municipality", "industry"]

    def filter_industry(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        return queryset.filter(Q(industry__code=code) | Q(industry__parent__code=code))
