"""Spam protection of the public registration form, three checks a person never notices:

- a honeypot field (`website`, hidden from people, see forms.VisitorRegistrationForm);
- a signed timestamp of when the form was shown: a submission sooner than
  EVENT_FORM_MIN_SECONDS after it (a script, not a person typing), or with a forged or missing
  stamp, is refused; one older than EVENT_FORM_MAX_AGE_SECONDS asks to send the form again;
- a limit of EVENT_FORM_RATE_LIMIT submissions per address within
  EVENT_FORM_RATE_WINDOW_SECONDS, counted in the cache (shared between processes when
  RENKEI_CACHE_URL names Redis; per process otherwise).

A duplicate submission (the same e-mail for the same event) is refused by the registration
service itself, with a message naming the field."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SALT = "renkei.events.public-form"


def form_stamp(now: float | None = None) -> str:
    """The signed time at which the form is shown, for its hidden field."""
    return signing.dumps(int(now if now is not None else time.time()), salt=SALT)


def check_form_stamp(value: str, now: float | None = None) -> None:
    """Refuse a submission whose stamp is forged or missing, too fresh for a person, or stale."""
    now = now if now is not None else time.time()
    try:
        shown_at = int(signing.loads(value or "", salt=SALT))
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError(_("This submission looks automated and was refused."), code="bad_stamp") from exc
    age = now - shown_at
    if age > settings.EVENT_FORM_MAX_AGE_SECONDS:
        raise ValidationError(
            _("The form was open for too long. Please check your entries and send it again."), code="stale"
        )
    if age < settings.EVENT_FORM_MIN_SECONDS:
        raise ValidationError(
            _("The form was sent too quickly after it was opened. Please check your entries and send it again."),
            code="too_fast",
        )


def _rate_key(address: str) -> str:
    window = int(time.time()) // settings.EVENT_FORM_RATE_WINDOW_SECONDS
    return f"events:public-form:{address}:{window}"


def is_rate_limited(address: str | None) -> bool:
    """Whether the address has used up its submissions for the current window."""
    if not address:
        return False
    return cache.get(_rate_key(address), 0) >= settings.EVENT_FORM_RATE_LIMIT


def record_submission(address: str | None) -> None:
    if not address:
        return
    key = _rate_key(address)
    cache.add(key, 0, timeout=settings.EVENT_FORM_RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.EVENT_FORM_RATE_WINDOW_SECONDS)
