from __future__ import annotations

from renkei.accounts.scope import scope_for


def navigation(request):
    """The signed-in user's scope, for menus that show only what the user may open."""
    return {"scope": scope_for(getattr(request, "user", None))}
