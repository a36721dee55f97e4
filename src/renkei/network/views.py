"""The network explorer's pages: thin views over `renkei.network.explorer`, which applies the
user's scope before anything is built, measured, drawn or exported."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.core.access import page_access
from renkei.network import explorer
from renkei.network.metrics import GRAPH_METRICS

SUMMARY_METRICS = ("nodes", "edges", "density", "components", "communities", "cross_sector_share")
EXPORTS = {
    "graphml": ("GraphML", "application/graphml+xml", explorer.export_graphml),
    "gexf": ("GEXF", "application/gexf+xml", explorer.export_gexf),
    "csv": (_("CSV edge list"), "text/csv; charset=utf-8", explorer.export_csv),
}


# Visitors are sent to sign in; signed-in users without a staff role get 403.
explorer_page = page_access(check=explorer.check_can_explore_network)


def _valid_form(request: HttpRequest) -> explorer.NetworkFilterForm:
    """The filter form bound to the query string (an empty one when there is none)."""
    form = explorer.NetworkFilterForm(request.user, request.GET.copy())
    form.is_valid()
    return form


@explorer_page
def network_explorer(request: HttpRequest) -> HttpResponse:
    form = _valid_form(request)
    if form.errors:
        return render(request, "network/explorer.html", {"form": form}, status=400)
    query = explorer.explorer_request(request.user, form)
    view = explorer.compute_explorer_view(request.user, query)
    figure, drawn = explorer.cached_network_figure(view, cap=explorer.MAX_DRAWN_NODES)
    graph = view.metrics.graph
    definitions = {d.key: d for d in GRAPH_METRICS}
    summary = [{"definition": definitions[key], "value": graph.get(key)} for key in SUMMARY_METRICS]
    export_query = urlencode(query.query())
    context = {
        "form": form,
        "query": query,
        "summary": summary,
        "brokers": explorer.top_brokers(view),
        "network_figure": figure,
        "drawn": drawn,
        "node_total": view.network.node_count,
        "capped": drawn < view.network.node_count,
        "max_drawn": explorer.MAX_DRAWN_NODES,
        "by_year": view.metrics.by_fiscal_year,
        "by_year_figure": explorer.by_year_figure(view),
        "undated_ties": graph.get("undated_ties", 0),
        "exports": [(label, fmt) for fmt, (label, _type, _write) in EXPORTS.items()],
        "export_query": export_query,
    }
    return render(request, "network/explorer.html", context)


@explorer_page
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such export format")
    form = _valid_form(request)
    if form.errors:
        errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    query = explorer.explorer_request(request.user, form)
    network = explorer.compute_visible_network(request.user, query)
    _label, content_type, write = EXPORTS[fmt]
    scope = query.cluster.code if query.cluster else "clusters"
    filename = f"network-{scope}-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(write(network), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
