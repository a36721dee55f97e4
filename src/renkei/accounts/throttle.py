"""Sign-in throttling: after too many failures for a username or from one address within the
window, further attempts are refused until the window has passed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from renkei.accounts.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked_out(username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.casefold()).count() >= limit:
        return True
    return bool(address) and recent.filter(address=address).count() >= limit * 4


def record_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.casefold()[:150], address=address)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.casefold()).delete()


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
