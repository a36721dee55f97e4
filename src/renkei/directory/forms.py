"""Forms for the directory pages. They validate and show errors; saving is the services' job
(see views.py), so a form never writes a row itself."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from renkei.core.models import IndustryClass, Municipality, Prefecture, TechField
from renkei.core.reference import JSIC_REVISION
from renkei.directory import access, lookup
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.access import editable_clusters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: messages for fields the form has go on
    those fields, the rest at the top of the form (add_error refuses unknown field names)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = name if name in form.fields else None
        if name == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, messages)


class PrefectureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Prefecture) -> str:
        return f"{obj.code} {obj.name}"


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        # The prefecture first, so a reader can tell the many 府中市/伊達市 apart.
        return f"{obj.prefecture.name} {obj.name}"


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IndustryClass) -> str:
        return f"{obj.code} {obj.name}"


class TechFieldsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", TechField.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("label", _("fields"))
        super().__init__(**kwargs)


def current_municipalities(keep_code: str | None = None, prefecture: str | None = None):
    """Municipalities that exist today (merged ones have a valid_until in the past), plus the
    record's current one so that editing an old record does not lose it; optionally only those
    of one prefecture."""
    today = dt.date.today()
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    if prefecture:
        current &= Q(prefecture_id=prefecture)
    if keep_code:
        current |= Q(pk=keep_code)
    return Municipality.objects.filter(current).select_related("prefecture").order_by("code")


# The look-up box's submit button (the form works without JavaScript): its value is "search"
# to list the corporations matching the box, or the corporate number of the one picked.
LOOKUP_FILL = "lookup_fill"
LOOKUP_FILLED_FIELDS = ("corporate_number", "name_ja", "name_en", "name_kana", "postal_code", "address")
LOOKUP_OFFICIAL_FIELDS = ("corporate_number", "name_ja", "postal_code", "address")


class CorporationLookupWidget(forms.TextInput):
    """The look-up box above an organisation form: a combobox that the script
    `directory/corporation_lookup.js` fills with candidates from the corporate number table."""

    template_name = "directory/widgets/corporation_lookup.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.state: dict[str, object] = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # The status line (results, warnings) describes the box, with the field's help text.
        described_by = [f"{widget_attrs.get('id', name)}-status", widget_attrs.get("aria-describedby", "")]
        widget_attrs["aria-describedby"] = " ".join(filter(None, described_by))
        context["lookup"] = {
            "fill_name": LOOKUP_FILL,
            "url": reverse_lazy("imports:corporation-lookup"),
            # The script fills the same fields as the server, from these lists.
            "filled_fields": " ".join(LOOKUP_FILLED_FIELDS),
            "official_fields": " ".join(LOOKUP_OFFICIAL_FIELDS),
            **self.state,
        }
        return context


class OrganisationForm(forms.ModelForm):
    """An organisation's record. HQ staff creating one choose the cluster it joins (`cluster`),
    because they may look after only their clusters' members.

    The look-up box (`lookup`) fills the official name, corporate number, address, prefecture
    and municipality from the NTA table: in the browser as the user types, or on the server
    when its button is pressed. A fill re-shows the form unsaved, for the user to check."""

    lookup = forms.CharField(
        required=False,
        max_length=100,
        label=_("look up the official record"),
        help_text=_("Type a name or a 13-digit corporate number and pick the corporation."),
        widget=CorporationLookupWidget(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    prefecture = PrefectureChoiceField(
        queryset=Prefecture.objects.all(),
        required=False,
        label=_("prefecture"),
        # Choosing a prefecture narrows the municipality list to it (htmx swaps the options).
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("directory:municipality_options"),
                "hx-target": "#id_municipality",
                "hx-include": "#id_municipality",
                "hx-trigger": "change",
            }
        ),
    )
    municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.none(), required=False, label=_("municipality")
    )
    industry = IndustryChoiceField(
        # Older JSIC revisions are loaded for old statistics; organisations use the current one.
        queryset=IndustryClass.objects.filter(revision=JSIC_REVISION).order_by("code"),
        required=False,
        label=_("industry (JSIC)"),
    )
    fields = TechFieldsField()
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name_ja",
            "name_en",
            "name_kana",
            "corporate_number",
            "postal_code",
            "address",
            "prefecture",
            "municipality",
            "industry",
            "fields",
            "employees",
            "capital_yen",
            "founded_on",
            "website",
            "capability",
            "visibility",
        ]
        widgets = {"founded_on": DATE_WIDGET, "capability": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A bound form accepts any current municipality, so that one outside the chosen
        # prefecture gets the model's clear message rather than "not a valid choice"; the blank
        # form offers only those of the record's prefecture.
        narrow_to = None if self.is_bound else self.instance.prefecture_id
        self.fields["municipality"].queryset = current_municipalities(self.instance.municipality_id, narrow_to)
        self.fields["corporate_number"].widget.attrs.update({"inputmode": "numeric", "maxlength": "13"})
        if self.instance.pk is None and user is not None:
            clusters = editable_clusters(user).select_related("programme")
            if clusters.exists():
                self.fields["cluster"] = forms.ModelChoiceField(
                    queryset=clusters,
                    required=not user.is_superuser,
                    label=_("cluster"),
                    help_text=_("The organisation joins this cluster as a member."),
                )
                self.order_fields(["cluster"])
        self._set_up_lookup(user)

    def _set_up_lookup(self, user) -> None:
        widget = self.fields["lookup"].widget
        widget.state = {"empty": lookup.reference_table_is_empty()}
        if widget.state["empty"] and user is not None and lookup.can_import_corporations(user):
            widget.state["import_url"] = reverse_lazy("imports:upload")
        self.fill_requested = False
        if not self.is_bound or not (pressed := str(self.data.get(LOOKUP_FILL, ""))):
            return
        text = str(self.data.get("lookup", "")).strip()[:100]
        number = pressed if pressed.isdigit() else text
        if not text and not pressed.isdigit():
            return  # Enter pressed in another field with an empty look-up box: save as usual
        self.fill_requested = True
        # The same limit per user as the JSON look-up, so that posting the form without the
        # script is no way round it.
        if lookup.lookup_rate_exceeded(user):
            widget.state["notice"] = _("Too many look-ups; wait a minute and try again.")
            self._show_unbound(lookup=text)
            return
        values = lookup.get_form_values(number)
        if values is None:
            widget.state["candidates"] = lookup.bulk_form_values(lookup.get_corporations(text))
            if not widget.state["candidates"]:
                widget.state["notice"] = _("No corporation in the register matches this name or number.")
            self._show_unbound(lookup=text)
            return
        # The register often has no English or kana name: keep what the user typed then.
        filled = {name: values[name] for name in LOOKUP_FILLED_FIELDS if values[name] or name in LOOKUP_OFFICIAL_FIELDS}
        filled["prefecture"] = values["prefecture"] or None
        filled["municipality"] = values["municipality"] or None
        widget.state["picked"] = values
        self._show_unbound(lookup="", **filled)

    def _show_unbound(self, **overrides) -> None:
        """Show the posted values (with `overrides`) again as a fresh form without errors."""
        initial = {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }
        initial.update(overrides)
        self.initial = initial
        self.is_bound = False
        self.fields["municipality"].queryset = current_municipalities(
            initial.get("municipality") or None, initial.get("prefecture") or None
        )

    def is_valid(self) -> bool:
        # A look-up fill shows the form again for the user to check; it never saves.
        return not self.fill_requested and super().is_valid()


class PersonForm(forms.ModelForm):
    """A person's whole record. On creation the form also asks where the person works, so the
    new record belongs to an organisation the author looks after."""

    fields = TechFieldsField()

    class Meta:
        model = Person
        fields = [
            "family_name_ja",
            "given_name_ja",
            "family_name_kana",
            "given_name_kana",
            "family_name_en",
            "given_name_en",
            "email",
            "phone",
            "research_keywords",
            "fields",
            "researchmap_id",
            "orcid",
            "consent_to_publish",
            "visibility",
        ]
        widgets = {"research_keywords": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and user is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=access.editable_organisations(user).order_by("name_kana", "name_ja", "name_en", "pk"),
                label=_("organisation"),
                help_text=_("Where the person works; the first affiliation is recorded with the person."),
            )
            self.fields["title_ja"] = forms.CharField(label=_("title (Japanese)"), max_length=100, required=False)
            self.fields["title_en"] = forms.CharField(label=_("title (English)"), max_length=100, required=False)
            self.order_fields(["organisation", "title_ja", "title_en"])


class PersonContactForm(forms.ModelForm):
    """Only the contact details, which coordinators keep up to date."""

    class Meta:
        model = Person
        fields = ["email", "phone"]


class AffiliationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("organisation"))

    class Meta:
        model = Affiliation
        fields = ["organisation", "department", "title_ja", "title_en", "start_on", "end_on", "is_primary"]
        widgets = {"start_on": DATE_WIDGET, "end_on": DATE_WIDGET}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.visible_organisations(user).order_by(
            "name_kana", "name_ja", "name_en", "pk"
        )
