"""One list view for every record type: text search, filters, sort, pagination, and CSV/Excel
export of exactly the rows and columns shown. An app declares its columns and queryset:

    class OrganisationListView(RecordListView):
        filterset_class = OrganisationFilterSet
        columns = [Column("name", _("Name"), lambda o: o.name, sort="name_kana", link=True), ...]
        def get_queryset(self): return visible_organisations(self.request.user)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.views import View

from renkei.core.export import csv_response, xlsx_response

PER_PAGE_CHOICES = (25, 50, 100, 200)
EXPORT_ROW_LIMIT = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Callable[[Any], Any]
    sort: str | None = None  # ORM field to order by; None: not sortable
    link: bool = False  # render as a link to the record's get_absolute_url()
    badge: Callable[[Any], str | None] | None = None  # optional small label after the value


class RecordListView(View):
    template_name = "core/list.html"
    partial_template_name = "core/_list_table.html"
    filterset_class: type | None = None
    columns: list[Column] = []
    default_sort: str = ""
    title: str | Promise = ""
    export_name: str = "export"
    create_url_name: str | None = None

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def optimise(self, queryset: QuerySet) -> QuerySet:
        """select_related/prefetch_related for the columns shown."""
        return queryset

    def can_create(self) -> bool:
        return False

    def extra_context(self) -> dict[str, Any]:
        return {}

    # --- request handling -------------------------------------------------------------

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.get_queryset()
        filterset = (
            self.filterset_class(request.GET, queryset=queryset, request=request) if self.filterset_class else None
        )
        rows = filterset.qs if filterset is not None else queryset
        sort_key, rows = self._sorted(request, rows)
        rows = self.optimise(rows)

        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            if request.GET.get("scope") == "page":
                rows = self._page(request, rows).object_list
            return self._export(export, rows)

        page = self._page(request, rows)
        context = {
            "title": self.title,
            "filterset": filterset,
            "columns": self.columns,
            "page": page,
            "rows": [(obj, [self._cell(col, obj) for col in self.columns]) for obj in page.object_list],
            "sort": sort_key,
            "per_page_choices": PER_PAGE_CHOICES,
            "query_without_page": self._query_without(request, "page"),
            "query_without_sort": self._query_without(request, "sort", "page"),
            "can_create": self.can_create(),
            "create_url_name": self.create_url_name,
            **self.extra_context(),
        }
        template = self.partial_template_name if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)

    def _sorted(self, request: HttpRequest, rows: QuerySet) -> tuple[str, QuerySet]:
        requested = request.GET.get("sort") or self.default_sort
        key = requested.lstrip("-")
        column = next((c for c in self.columns if c.key == key and c.sort), None)
        if column is None:
            return "", rows
        descending = requested.startswith("-")
        return requested, rows.order_by(("-" if descending else "") + column.sort, "pk")

    def _page(self, request: HttpRequest, rows: QuerySet):
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PER_PAGE_CHOICES else 50
        return Paginator(rows, per_page).get_page(request.GET.get("page"))

    @staticmethod
    def _cell(column: Column, obj) -> dict[str, Any]:
        return {
            "value": column.value(obj),
            "url": obj.get_absolute_url() if column.link else None,
            "badge": column.badge(obj) if column.badge else None,
        }

    def _export(self, kind: str, rows) -> HttpResponse:
        header = [str(c.label) for c in self.columns]
        data = ([c.value(obj) for c in self.columns] for obj in rows[:EXPORT_ROW_LIMIT])
        if kind == "csv":
            return csv_response(self.export_name, header, data)
        return xlsx_response(self.export_name, header, data)

    @staticmethod
    def _query_without(request: HttpRequest, *names: str) -> str:
        query = request.GET.copy()
        for name in (*names, "export", "scope"):
            query.pop(name, None)
        return query.urlencode()
