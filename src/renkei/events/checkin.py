"""Check-in codes: each registration's QR code carries a signed token inside the address of the
staff check-in page of its event. Staff who open the address (a phone camera) or scan/paste it
into the check-in page's box get the registration and check it in.

The token is `[event pk, registration pk]` signed with the site's secret key (django.core.signing,
its own salt), so it cannot be guessed or altered, needs no column, and is the same on the
registration page and in every mail. It is refused for another event and once the event is over
(plus a grace period); rotating the secret key invalidates all codes."""

from __future__ import annotations

import datetime
import io
import re

import segno
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renkei.events import access
from renkei.events.models import Event, Registration

SALT = "renkei.events.check-in"
# Codes stay valid a little past the end of the event, for late arrivals and corrections.
GRACE = datetime.timedelta(hours=12)
# The token in a scanned or pasted check-in address: /events/<pk>/check-in/code/<token>/.
TOKEN_IN_URL = re.compile(r"/check-in/code/([^/?#\s]+)")


def check_in_token(registration: Registration) -> str:
    # A plain Signer, not signing.dumps: no timestamp, so the code never changes.
    return signing.Signer(salt=SALT).sign_object([registration.event_id, registration.pk])


def check_in_path(registration: Registration) -> str:
    # The site's default language: the code is the same wherever it is shown.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("events:check_in_code", args=[registration.event_id, check_in_token(registration)])


def check_in_url(registration: Registration) -> str:
    return settings.RENKEI_BASE_URL + check_in_path(registration)


def _qr_code(registration: Registration) -> segno.QRCode:
    return segno.make(check_in_url(registration), error="m")


def qr_svg(registration: Registration) -> str:
    """The registration's QR code as an inline <svg> element, for its page."""
    return _qr_code(registration).svg_inline(scale=5, border=2, title=_("Check-in code"))


def qr_png(registration: Registration) -> bytes:
    """The registration's QR code as a PNG image, for mails."""
    out = io.BytesIO()
    _qr_code(registration).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def token_from_scan(text: str) -> str:
    """The token in what a scanner typed or staff pasted: a whole check-in address or the token."""
    text = (text or "").strip()
    found = TOKEN_IN_URL.search(text)
    return found.group(1) if found else text


def registration_for_token(event: Event, token: str, *, now: datetime.datetime | None = None) -> Registration:
    """The registration the token names, if it is a valid code of this event."""
    try:
        event_pk, registration_pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError(_("This is not a valid check-in code."), code="invalid") from exc
    if event_pk != event.pk:
        raise ValidationError(_("This check-in code belongs to another event."), code="other_event")
    if (now or timezone.now()) > event.ends_at + GRACE:
        raise ValidationError(_("This event is over; its check-in codes are no longer accepted."), code="expired")
    registration = Registration.objects.select_related("event", "person").filter(pk=registration_pk).first()
    if registration is None or registration.event_id != event.pk:
        raise ValidationError(_("This is not a valid check-in code."), code="invalid")
    return registration


def do_check_in_by_code(actor, event: Event, scanned: str) -> Registration:
    """Check in the registration named by a scanned or pasted code. Only the staff of the event's
    clusters may; the permission is checked before the code is read, so others learn nothing."""
    from renkei.events import services  # services send mails, and mails carry these codes

    access.check_can_run_check_in(actor, event)
    registration = registration_for_token(event, token_from_scan(scanned))
    return services.do_check_in(actor, registration)
