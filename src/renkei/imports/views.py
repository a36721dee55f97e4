"""JSON end points of the imports app."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renkei.imports.access import can_look_up_corporations
from renkei.imports.services import LOOKUP_LIMIT, corporation_prefill, get_corporation_matches

MAX_QUERY_LENGTH = 100


@require_GET
def corporation_lookup(request: HttpRequest) -> JsonResponse:
    """`?q=` a name prefix or a 13-digit corporate number; `&limit=` up to 10. Returns
    `{"results": [...]}`, each result the values an organisation form fills in."""
    if not can_look_up_corporations(request.user):
        return JsonResponse({"detail": _("Sign in with a role that edits organisations to look them up.")}, status=403)
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return JsonResponse(
            {"q": _("At most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}},
            status=400,
        )
    try:
        limit = int(request.GET.get("limit", LOOKUP_LIMIT))
    except ValueError:
        return JsonResponse({"limit": _("A whole number from 1 to %(max)d.") % {"max": LOOKUP_LIMIT}}, status=400)
    if not 1 <= limit <= LOOKUP_LIMIT:
        return JsonResponse({"limit": _("A whole number from 1 to %(max)d.") % {"max": LOOKUP_LIMIT}}, status=400)
    matches = get_corporation_matches(query, limit=limit)
    return JsonResponse({"results": [corporation_prefill(c) for c in matches]})
