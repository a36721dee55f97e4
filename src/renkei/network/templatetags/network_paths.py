"""{% introduction_paths need partner as paths %}: who can introduce the need's organisation to a
suggested partner (renkei.network.paths), as the current user may see it.

No paths for visitors, nor when the page does not name the need's owner to the reader
(`show_owner` false: an anonymised need), since a path would reveal who is behind it. The
trusted graph is built once per request and shared by every suggestion on the page."""

from __future__ import annotations

from django import template

from renkei.network.paths import IntroductionPath, TrustedGraph, can_see_paths, node_of

register = template.Library()


@register.simple_tag(takes_context=True)
def introduction_paths(context, need, partner) -> list[IntroductionPath]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not can_see_paths(user) or not context.get("show_owner") or need.organisation_id is None:
        return []
    graph = getattr(request, "_renkei_trusted_graph", None)
    if graph is None:
        graph = TrustedGraph.for_user(user)
        if request is not None:
            request._renkei_trusted_graph = graph
    return graph.paths(node_of("organisation", need.organisation_id), node_of(partner.kind, partner.obj.pk))
