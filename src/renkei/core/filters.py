"""Filter building blocks shared by the apps' FilterSets (pages and API filter identically)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renkei.core.text import normalise_for_search

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField primary key


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


class IdFilter(django_filters.NumberFilter):
    """A record id given as a number: a whole number from 1 to the largest primary key, so a
    fraction or a number too large for the database is a clear 400 rather than a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
