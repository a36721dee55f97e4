"""Request checks that apply to every page and API call."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulCharactersMiddleware:
    """Refuses query strings and form posts holding a NUL character with a 400.

    No text a person types holds one, PostgreSQL cannot store or compare one (it raises an error
    deep inside a query), and SQLite would silently store it; refusing it at the door gives one
    clear answer on both databases instead of a server error in whichever filter meets it first.
    JSON bodies are checked by the API's serializers; multipart uploads are left to their views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._holds_nul(request):
            message = _("Request parameters must not contain NUL characters.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        sources = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values) for qd in sources for key, values in qd.lists()
        )
