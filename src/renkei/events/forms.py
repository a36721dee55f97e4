"""Forms for events, their time slots and tables, the visitors' registration form and the
check-in search. They validate and show errors; saving is the job of renkei.events.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from renkei.events import spam
from renkei.events.access import organising_clusters
from renkei.events.models import Event, MarketplaceProfile, Registration, Table, TimeSlot
from renkei.programs.models import Cluster

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ServiceErrorsMixin:
    """Put a service's ValidationError on the field it names, or on top of the form."""

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for name, errors in error.error_dict.items():
            target = name if name != NON_FIELD_ERRORS and name in self.fields else None  # type: ignore[attr-defined]
            for item in errors:
                self.add_error(target, item)  # type: ignore[attr-defined]


class EventForm(ServiceErrorsMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("online URL"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "kind",
            "clusters",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "registration_deadline",
            "language",
            "status",
            "request_mode",
            "scheduling_mode",
            "followup_survey_months",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_deadline": DATETIME_WIDGET,
            "clusters": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = organising_clusters(user)
        if self.instance.pk is not None:
            choices = choices | Cluster.objects.filter(events=self.instance)
        self.fields["clusters"].queryset = choices.distinct().order_by("code")
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        # Business-matching settings: left out of a submission, they keep their current value.
        for name in ("request_mode", "scheduling_mode"):
            self.fields[name].required = False
        self.fields["followup_survey_months"].required = False

    def clean_followup_survey_months(self) -> int:
        """Left out of a submission, the follow-up survey keeps its current (or default) months."""
        months = self.cleaned_data.get("followup_survey_months")
        return self.instance.followup_survey_months if months is None else months


class TimeSlotForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = TimeSlot
        fields = ["starts_at", "ends_at"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class TableForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Table
        fields = ["name", "capacity"]


class VisitorRegistrationForm(ServiceErrorsMixin, forms.Form):
    """The public registration form. `website` is a honeypot: hidden from people, filled by bots."""

    visitor_name = forms.CharField(label=_("Name"), max_length=200)
    visitor_email = forms.EmailField(label=_("E-mail"))
    visitor_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    consent_to_data_use = forms.BooleanField(
        label=_("I agree that the organisers use my name, e-mail and organisation to run this event."),
        required=True,
        error_messages={"required": _("Registration needs your consent to the use of your data.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot"}),
    )
    # When the form was shown, signed (events/spam.py): too fast a submission is a script.
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This submission looks automated and was refused."))
        return ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rendered_at"].initial = spam.form_stamp()

    def clean_rendered_at(self) -> str:
        spam.check_form_stamp(self.cleaned_data.get("rendered_at", ""))
        return ""

    def refresh_stamp_if_refused(self) -> None:
        """A forged or stale stamp is replaced, so the person can send the form again; one that
        was only too fresh is kept, and counts as old enough by the time it is sent again."""
        errors = self.errors.get("rendered_at")
        if errors and not any(e.code == "too_fast" for e in errors.as_data()):
            self.data = self.data.copy()
            self.data["rendered_at"] = spam.form_stamp()


# --- business matching ---------------------------------------------------------------------


class MarketplaceProfileForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = MarketplaceProfile
        fields = ["offer", "looking_for", "fields", "keywords", "language"]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4}),
            "looking_for": forms.Textarea(attrs={"rows": 4}),
            "fields": forms.CheckboxSelectMultiple,
        }


class AvailabilityForm(ServiceErrorsMixin, forms.Form):
    slots = forms.ModelMultipleChoiceField(
        label=_("I can meet at"),
        queryset=TimeSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to be available throughout the event."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = TimeSlot.objects.filter(event=event).order_by("starts_at")


class MeetingRequestForm(ServiceErrorsMixin, forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Meet with"),
        queryset=Registration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick colleagues too if they should join the meeting."),
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = choices
        self.fields["recipients"].label_from_instance = lambda registration: registration.display_name


class DeclineForm(ServiceErrorsMixin, forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleRunForm(forms.Form):
    allow_moves = forms.BooleanField(
        label=_("Announced meetings may move"),
        required=False,
        help_text=_("Leave unticked to keep every announced meeting where it is."),
    )


class BookingForm(ServiceErrorsMixin, forms.Form):
    slot = forms.ModelChoiceField(label=_("Time slot"), queryset=TimeSlot.objects.none())

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = TimeSlot.objects.filter(event=event)
