"""Forms for programmes, clusters and a cluster's members, HQ positions and budgets.

They validate and show errors; saving is the job of renkei.programs.services (see views.py), so a
form never writes a row itself. Rules the form cannot check alone (a duplicate membership or
budget, since the cluster is not one of its fields) come back from the service as a
ValidationError, which `add_service_error` puts on the field the reader has to change."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renkei.core.models import Prefecture, TechField
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Organisation, Person
from renkei.programs.access import can_manage_programmes
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Path segments under /programmes/ that a programme or cluster code must not take, or its page
# would be shadowed by another page (see urls.py).
RESERVED_CODES = frozenset({"new", "clusters", "memberships", "positions", "budgets", "edit", "members"})

# Companies do not run clusters; leaving them out keeps the promotion organisation list short
# on a directory of ~10,000 organisations, most of them SMEs.
NOT_PROMOTERS = [OrganisationKind.SME, OrganisationKind.LARGE_ENTERPRISE, OrganisationKind.TRADING_FIRM]


class ServiceErrorsMixin:
    """Attach a service's ValidationError to the form.

    Messages for fields the form shows go on those fields; a uniqueness error about fields the
    form does not show (the cluster) goes on `duplicate_field` with `duplicate_message`; the rest
    go on top of the form."""

    duplicate_field: str | None = None
    duplicate_message: str | Promise = ""

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for name, errors in error.error_dict.items():
            for item in errors:
                target = name if name != NON_FIELD_ERRORS and name in self.fields else None  # type: ignore[attr-defined]
                if target is None and self.duplicate_field and item.code in {"unique", "unique_together"}:
                    target = self.duplicate_field
                    item = ValidationError(self.duplicate_message, code="unique")
                self.add_error(target, item)  # type: ignore[attr-defined]


def _check_code_is_free(code: str) -> str:
    if code in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is reserved for a page address; choose another code."), params={"code": code}
        )
    return code


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class ProgrammeForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "code",
            "name_ja",
            "name_en",
            "ministry",
            "phase",
            "start_fy",
            "end_fy",
            "description_ja",
            "description_en",
            "source_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Links and API clients use the code; it stays as created.
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        return _check_code_is_free(self.cleaned_data["code"])


class ClusterForm(ServiceErrorsMixin, forms.ModelForm):
    """A cluster's record. HQ staff keep their cluster's details up to date; which programme it
    belongs to, its code and whether it is verified in the public record are for national
    officers to decide, so those fields are read-only for HQ staff."""

    NATIONAL_ONLY = ("programme", "code", "verified", "source")

    prefectures = forms.ModelMultipleChoiceField(
        queryset=Prefecture.objects.all(), required=False, label=_("prefectures"), widget=forms.SelectMultiple
    )
    fields = forms.ModelMultipleChoiceField(
        queryset=TechField.objects.all(), required=False, label=_("fields"), widget=forms.CheckboxSelectMultiple
    )
    promotion_organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("promotion organisation")
    )
    website = forms.URLField(required=False, assume_scheme="https", label=_("website"))

    class Meta:
        model = Cluster
        fields = [
            "programme",
            "code",
            "name_ja",
            "name_en",
            "region_label",
            "bureau_region",
            "prefectures",
            "fields",
            "theme",
            "promotion_organisation",
            "start_fy",
            "end_fy",
            "description_ja",
            "description_en",
            "website",
            "is_trial",
            "verified",
            "source",
            "source_note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.promotion_organisation_id
        self.fields["promotion_organisation"].queryset = (
            visible_organisations(user).filter(~Q(kind__in=NOT_PROMOTERS) | Q(pk=current)).order_by("name_ja", "pk")
        )
        if self.instance.pk is not None:
            self.initial["prefectures"] = list(self.instance.prefectures.values_list("pk", flat=True))
            self.initial["fields"] = list(self.instance.fields.values_list("pk", flat=True))
            self.fields["code"].disabled = True
        if not can_manage_programmes(user):
            for name in self.NATIONAL_ONLY:
                self.fields[name].disabled = True

    def clean_code(self) -> str:
        return _check_code_is_free(self.cleaned_data["code"])


class MembershipForm(ServiceErrorsMixin, forms.ModelForm):
    duplicate_field = "organisation"
    duplicate_message = _("This organisation already has this role in the cluster.")

    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("organisation"))

    class Meta:
        model = Membership
        fields = ["organisation", "role", "start_on", "end_on", "note"]
        widgets = {"start_on": DATE_WIDGET, "end_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user).order_by("name_kana", "name_ja", "pk")


class HQPositionForm(ServiceErrorsMixin, forms.ModelForm):
    duplicate_field = "person"
    duplicate_message = _("This person already holds this position.")

    person = PersonChoiceField(queryset=Person.objects.none(), label=_("person"))

    class Meta:
        model = HQPosition
        fields = ["person", "kind", "start_on", "end_on"]
        widgets = {"start_on": DATE_WIDGET, "end_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user)


class BudgetForm(ServiceErrorsMixin, forms.ModelForm):
    duplicate_field = "fiscal_year"
    duplicate_message = _("The cluster already has a budget from this source for this fiscal year.")

    class Meta:
        model = Budget
        fields = ["fiscal_year", "source", "amount_yen", "is_estimate", "note"]
