"""Filter building blocks shared by the apps' FilterSets (pages and API filter identically)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renkei.core.text import normalise_for_search


class TextSearchFilter(django_filters.CharFilter):
    """Matches every word of the query against the record's normalised `search_text`, so a
    search in Japanese, English, kana (hiragana or katakana, any width) finds the same rows."""

    def __init__(self, *args, field_name: str = "search_text", **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        condition = Q()
        for word in normalise_for_search(value).split()[:10]:
            condition &= Q(**{f"{self.field_name}__contains": word})
        return qs.filter(condition)
