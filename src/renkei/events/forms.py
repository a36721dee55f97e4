"""Forms for events, their time slots and tables, the visitors' registration form and the
check-in search. They validate and show errors; saving is the job of renkei.events.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from renkei.events.access import organising_clusters
from renkei.events.models import Event, Table, TimeSlot
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

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This submission looks automated and was refused."))
        return ""
