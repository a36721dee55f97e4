"""Who may use the imported reference tables."""

from __future__ import annotations

from renkei.accounts.scope import scope_for


def can_look_up_corporations(user) -> bool:
    """Those who fill in organisation forms: national officers, cluster staff and coordinators,
    and participants (for their own organisation). The NTA data is public, but the look-up is
    not an open search service."""
    scope = scope_for(user)
    return scope.authenticated and (scope.superuser or scope.is_staff_role or bool(scope.own_organisation_ids))
