"""The public answer page of the follow-up survey, opened by the link in the survey mail. No
sign-in: the token in the address opens one answer and nothing else (events/survey.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from renkei.events import survey
from renkei.events.choices import FollowUpAnswer
from renkei.events.forms import ServiceErrorsMixin


class FollowUpAnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Where did the meeting lead?"),
        choices=FollowUpAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the meeting led.")},
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea)


@never_cache
def followup_answer(request: HttpRequest, token: str) -> HttpResponse:
    outcome = survey.access_outcome_by_token(token)
    is_open = survey.is_open(outcome)
    initial = {"answer": outcome.answer, "comment": outcome.comment}
    form = FollowUpAnswerForm(request.POST if request.method == "POST" and is_open else None, initial=initial)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            survey.do_answer(outcome, answer=form.cleaned_data["answer"], comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thank you. Your answer was recorded."))
            return redirect("events:followup_answer", token=token)
    meeting = outcome.meeting
    others = [r.display_name for r in survey.participants_of(meeting) if r.pk != outcome.respondent_id]
    context = {
        "outcome": outcome,
        "event": outcome.respondent.event,
        "met_on": timezone.localtime(meeting.slot.starts_at),
        "others": others,
        "form": form,
        "is_open": is_open,
    }
    return render(
        request, "events/followup_answer.html", context, status=200 if is_open or request.method == "GET" else 409
    )
