from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renkei.core.models import TechField
from renkei.matching.choices import ListingVisibility, NeedStatus, Stage
from renkei.matching.models import Need, Seed
from renkei.programs.models import Cluster


class ListingTextFilter(django_filters.CharFilter):
    """Every word of the query in the title, text or keywords (either language)."""

    def __init__(self, *args, text_fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", _("Search"))
        self.text_fields = text_fields
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in (value or "").split()[:10]:
            condition = Q()
            for name in self.text_fields:
                condition |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(condition)
        return qs


class _ListingFilterSet(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        field_name="fields", queryset=TechField.objects.all(), to_field_name="code", label=_("Field"), distinct=True
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="clusters", queryset=Cluster.objects.all(), to_field_name="code", label=_("Cluster"), distinct=True
    )
    visibility = django_filters.ChoiceFilter(choices=ListingVisibility.choices, label=_("Visibility"))


class SeedFilterSet(_ListingFilterSet):
    q = ListingTextFilter(text_fields=("title_ja", "title_en", "summary_ja", "summary_en", "keywords"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))

    class Meta:
        model = Seed
        fields = ["q", "field", "cluster", "stage", "visibility"]


class NeedFilterSet(_ListingFilterSet):
    q = ListingTextFilter(text_fields=("title_ja", "title_en", "description_ja", "description_en"))
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices, label=_("Status"))

    class Meta:
        model = Need
        fields = ["q", "field", "cluster", "status", "visibility"]
