"""Forms of the after-the-event pages: a meeting's outcome (organisers) and a participant's
follow-up intention. They validate; saving is the job of events.outcomes and events.followups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from renkei.events.choices import MissedBy
from renkei.events.followups import MAX_NOTE

HELD = "held"


class MeetingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (HELD, gettext_lazy("Held")),
            (MissedBy.REQUESTER, gettext_lazy("No-show: the requester")),
            (MissedBy.OTHER_SIDE, gettext_lazy("No-show: the other side")),
            (MissedBy.BOTH, gettext_lazy("No-show: both sides")),
        ],
    )


class FollowUpIntentionForm(forms.Form):
    wants_follow_up = forms.TypedChoiceField(
        label=gettext_lazy("Do you want to follow up this meeting?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the coordinator"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What you would like to follow up, in a sentence or two."),
    )
