"""Who may open a page, decided the same way everywhere: a visitor who has not signed in is sent
to the sign-in page (and back afterwards); a signed-in user whom the page's role rule refuses
gets 403. The rule is one of the apps' access helpers, given the user, either

- `check=`: a `check_…` helper, which raises PermissionDenied to refuse (`check_can_use_crm`), or
- `allow=`: a `can_…` helper, whose false answer refuses (`can_start_imports`).

Which records a page shows stays with the apps' `access_…`/`visible_…` helpers inside the view.

    @page_access(check=access.check_can_use_crm)
    def interaction_detail(request, pk): ...

    @page_access(allow=access.can_create_events)
    def event_create(request): ...

    @signed_in_page
    def registration_detail(request, pk): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]
Rule = Callable[[Any], object]


def page_access(*, check: Rule | None = None, allow: Rule | None = None, message: str = "") -> Callable[[View], View]:
    """Decorate a page view: sign-in first, then the role rule (see the module docstring).
    `message` is the reason given with the 403 when `allow` refuses."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if check is not None:
                check(request.user)
            if allow is not None and not allow(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Pages for anyone signed in; what they may do there is decided inside (403 where refused).
signed_in_page = page_access()
