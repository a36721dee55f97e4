"""The API's filters of seeds and needs: the pages' filter sets plus the owner's prefecture, region
and kind, and the date of the last change. Filters that describe the owner never answer for an
anonymised listing whose owner the reader may not know (the listing drops out of the results)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from renkei.core.models import BureauRegion, Prefecture
from renkei.directory.choices import OrganisationKind
from renkei.matching import access
from renkei.matching.filters import NeedFilterSet, SeedFilterSet

OWNER_FILTERS = ("prefecture", "region", "organisation_kind")


class _OwnerFilters(django_filters.FilterSet):
    prefecture = django_filters.ModelChoiceFilter(
        field_name="organisation__prefecture",
        queryset=Prefecture.objects.all(),
        label=_("Prefecture"),
        help_text="JIS prefecture code of the owning organisation.",
    )
    region = django_filters.ModelChoiceFilter(
        field_name="organisation__prefecture__region",
        queryset=BureauRegion.objects.all(),
        to_field_name="code",
        label=_("Region"),
        help_text="Bureau region code of the owning organisation.",
    )
    organisation_kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices, label=_("Organisation kind")
    )
    updated_since = django_filters.DateFilter(
        field_name="updated_at", lookup_expr="date__gte", label=_("Changed since"), help_text="YYYY-MM-DD."
    )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if any(self.form.cleaned_data.get(name) for name in OWNER_FILTERS):
            user = getattr(self.request, "user", None)
            queryset = queryset.exclude(pk__in=access.anonymised_hidden_from(user, queryset.model))
        return queryset


class SeedAPIFilterSet(_OwnerFilters, SeedFilterSet):
    class Meta(SeedFilterSet.Meta):
        fields = [*SeedFilterSet.Meta.fields, *OWNER_FILTERS, "updated_since"]


class NeedAPIFilterSet(_OwnerFilters, NeedFilterSet):
    class Meta(NeedFilterSet.Meta):
        fields = [*NeedFilterSet.Meta.fields, *OWNER_FILTERS, "updated_since"]
