"""After the event: the organiser records meeting outcomes (one meeting, or in bulk from the
check-in with a preview), and participants say whether they want to follow up a held meeting.
Records are fetched through events.access / events.outcomes; writes go through events.outcomes
and events.followups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from renkei.core.access import signed_in_page
from renkei.events import access, followups, outcomes
from renkei.events.meeting_views import _error_messages, _matching_event
from renkei.events.outcome_forms import HELD, FollowUpIntentionForm, MeetingOutcomeForm
from renkei.events.views import _when


@require_POST
@signed_in_page
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one meeting as held or a no-show (organisers only)."""
    meeting = outcomes.access_meeting(request.user, pk)
    event = meeting.request.event
    if not access.can_organise_meetings(request.user, event):
        raise PermissionDenied
    form = MeetingOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the meeting's outcome."))
    else:
        outcome = form.cleaned_data["outcome"]
        try:
            outcomes.do_record_outcome(
                request.user, meeting, held=outcome == HELD, missed_by="" if outcome == HELD else outcome
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The meeting's outcome was recorded."))
    return redirect(f"{_meetings_url(event.pk)}#outcomes")


@signed_in_page
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Bulk action: preview (GET) and apply (POST) the outcomes the check-in implies."""
    event = _matching_event(request, pk)
    if not access.can_organise_meetings(request.user, event):
        raise PermissionDenied
    try:
        if request.method == "POST":
            done = outcomes.bulk_record_attendance(request.user, event, _pks(request.POST.getlist("meeting")))
            held = sum(1 for change in done if change.held)
            messages.success(
                request,
                ngettext(
                    "%(count)d meeting recorded: %(held)d held, %(missed)d no-show.",
                    "%(count)d meetings recorded: %(held)d held, %(missed)d no-show.",
                    len(done),
                )
                % {"count": len(done), "held": held, "missed": len(done) - held},
            )
            return redirect(f"{_meetings_url(event.pk)}#outcomes")
        changes = outcomes.compute_attendance_changes(request.user, event)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("events:event_meetings", event.pk)
    context = {
        "event": event,
        "when": _when(event),
        "changes": changes,
        "held": sum(1 for change in changes if change.held),
    }
    return render(request, "events/event_attendance.html", context)


def _pks(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def _meetings_url(event_pk: int) -> str:
    return reverse("events:event_meetings", args=[event_pk])


@require_POST
@signed_in_page
def meeting_followup(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant says whether they want to follow up a held meeting."""
    meeting = outcomes.access_meeting(request.user, pk)
    event = meeting.request.event
    form = FollowUpIntentionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    else:
        try:
            followups.do_state_intention(
                request.user,
                meeting,
                wants_follow_up=form.cleaned_data["wants_follow_up"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Thank you: your answer was saved."))
    return redirect(f"{_requests_url(event.pk)}#held")


def _requests_url(event_pk: int) -> str:
    return reverse("events:meeting_requests", args=[event_pk])
