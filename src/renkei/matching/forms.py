"""Forms of the seeds/needs pages. They validate and show errors; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.directory.access import visible_people
from renkei.directory.choices import OrganisationKind
from renkei.directory.forms import DATE_WIDGET, TechFieldsField
from renkei.matching.choices import DeclineReason, Stage, TargetKind, Verdict
from renkei.matching.models import Need, Seed
from renkei.matching.services import usable_organisations
from renkei.programs.models import Cluster, Programme


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _ListingForm(forms.ModelForm):
    fields = TechFieldsField()
    clusters = forms.ModelMultipleChoiceField(
        queryset=Cluster.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("clusters"),
        help_text=_("Leave empty for the clusters of the organisation."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = usable_organisations(user)
        if self.instance.pk is not None:
            self.initial.setdefault("clusters", list(self.instance.clusters.values_list("pk", flat=True)))
            self.initial.setdefault("fields", list(self.instance.fields.values_list("pk", flat=True)))


class SeedForm(_ListingForm):
    researchers = PersonChoices(queryset=None, required=False, label=_("researchers"))

    class Meta:
        model = Seed
        fields = [
            "organisation",
            "lang",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "keywords",
            "researchers",
            "fields",
            "stage",
            "trl",
            "related_patents",
            "clusters",
            "visibility",
            "anonymised",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["researchers"].queryset = visible_people(user)
        if self.instance.pk is not None:
            self.initial.setdefault("researchers", list(self.instance.researchers.values_list("pk", flat=True)))


class NeedForm(_ListingForm):
    class Meta:
        model = Need
        fields = [
            "organisation",
            "lang",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "desired_timing",
            "budget_min_yen",
            "budget_max_yen",
            "contact",
            "fields",
            "clusters",
            "visibility",
            "anonymised",
            "status",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["contact"].queryset = visible_people(user)
        self.fields["organisation"].label = _("company")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=5000)
    kind = forms.MultipleChoiceField(
        label=_("Show"),
        required=False,
        choices=[("seed", _("Seeds")), ("need", _("Needs")), ("org", _("Capabilities"))],
        widget=forms.CheckboxSelectMultiple,
    )
    field = forms.ModelChoiceField(TechField.objects.all(), to_field_name="code", required=False, label=_("Field"))
    prefecture = forms.ModelChoiceField(Prefecture.objects.all(), required=False, label=_("Prefecture"))
    region = forms.ModelChoiceField(BureauRegion.objects.all(), to_field_name="code", required=False, label=_("Region"))
    organisation_kind = forms.ChoiceField(
        choices=[("", "---------"), *OrganisationKind.choices], required=False, label=_("Organisation kind")
    )
    programme = forms.ModelChoiceField(
        Programme.objects.all(), to_field_name="code", required=False, label=_("Programme")
    )
    cluster = forms.ModelChoiceField(Cluster.objects.all(), to_field_name="code", required=False, label=_("Cluster"))
    stage = forms.ChoiceField(choices=[("", "---------"), *Stage.choices], required=False, label=_("Stage"))
    since = forms.DateField(required=False, label=_("Added since"), widget=DATE_WIDGET)


class FeedbackForm(forms.Form):
    target_kind = forms.ChoiceField(choices=TargetKind.choices, widget=forms.HiddenInput)
    target_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    verdict = forms.ChoiceField(choices=Verdict.choices, label=_("verdict"))
    decline_reason = forms.ChoiceField(
        choices=[("", "---------"), *DeclineReason.choices], required=False, label=_("reason")
    )
    note = forms.CharField(required=False, max_length=500, label=_("note"))


class AlertForm(forms.Form):
    name = forms.CharField(required=False, max_length=200, label=_("name"))
    q = forms.CharField(required=False, max_length=5000, widget=forms.HiddenInput)
    need = forms.IntegerField(required=False, widget=forms.HiddenInput)


class InterestForm(forms.Form):
    sender_name = forms.CharField(max_length=200, label=_("your name"))
    sender_organisation = forms.CharField(max_length=200, required=False, label=_("your organisation"))
    sender_email = forms.EmailField(label=_("your e-mail"))
    message = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("message"),
        help_text=_("What interests you and what you would like to discuss (at most 2,000 characters)."),
    )


class DeclineForm(forms.Form):
    decline_reason = forms.ChoiceField(choices=DeclineReason.choices, label=_("reason"))
    decline_text = forms.CharField(max_length=500, required=False, label=_("details"))


class ChallengeForm(forms.Form):
    deadline = forms.DateField(label=_("deadline"), widget=DATE_WIDGET)
    brief = forms.CharField(
        required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}), label=_("what a proposal should say")
    )


class ProposalForm(forms.Form):
    seed = forms.ModelChoiceField(queryset=Seed.objects.none(), label=_("your seed"))
    text = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("proposal"),
        help_text=_("At most 3,000 characters."),
    )

    def __init__(self, *args, seeds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"].queryset = seeds
