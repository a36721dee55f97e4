"""Forms of the CRM pages. They validate and show errors; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.brokerage import access
from renkei.brokerage.choices import IntroductionStage
from renkei.brokerage.models import Interaction, Introduction
from renkei.brokerage.services import cluster_staff, user_name
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.forms import DATE_WIDGET
from renkei.matching.access import visible_needs, visible_seeds


class NamedChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.name)


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_name(obj)


def _staff_of(clusters):
    from django.contrib.auth import get_user_model

    from renkei.accounts.models import CLUSTER_SCOPED, Role

    users = Role.objects.filter(cluster__in=clusters, kind__in=CLUSTER_SCOPED).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("username")


class _CrmForm(forms.ModelForm):
    """Choices limited to what the user may see and the clusters where they may write."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clusters = access.writable_clusters(user)
        self.fields["cluster"].queryset = clusters
        self.fields["coordinator"] = UserChoice(
            queryset=_staff_of(clusters),
            required=False,
            label=_("coordinator"),
            help_text=_("Leave empty for yourself."),
        )
        if self.instance.pk is not None:
            self.initial["coordinator"] = self.instance.coordinator_id
            self.fields["coordinator"].queryset = cluster_staff(self.instance.cluster_id)
        if len(clusters) == 1 and self.instance.pk is None and not self.initial.get("cluster"):
            self.initial["cluster"] = clusters[0].pk

    def clean_coordinator(self):
        # Empty means "the author"; the service fills it in on a new record.
        coordinator = self.cleaned_data.get("coordinator")
        if coordinator is None and self.instance.pk is not None:
            return self.instance.coordinator
        return coordinator


class InteractionForm(_CrmForm):
    organisations = NamedChoices(queryset=None, required=False, label=_("organisations"))
    people = NamedChoices(queryset=None, required=False, label=_("people"))

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "date",
            "cluster",
            "coordinator",
            "organisations",
            "people",
            "topic",
            "notes",
            "confidential",
            "next_follow_up_on",
            "follow_up_done",
            "need",
            "seed",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "next_follow_up_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisations"].queryset = visible_organisations(user)
        self.fields["people"].queryset = visible_people(user)
        self.fields["need"].queryset = visible_needs(user)
        self.fields["seed"].queryset = visible_seeds(user)
        if self.instance.pk is not None:
            self.initial.setdefault("organisations", list(self.instance.organisations.values_list("pk", flat=True)))
            self.initial.setdefault("people", list(self.instance.people.values_list("pk", flat=True)))


class IntroductionForm(_CrmForm):
    class Meta:
        model = Introduction
        fields = [
            "cluster",
            "coordinator",
            "party_a_organisation",
            "party_a_person",
            "party_b_organisation",
            "party_b_person",
            "topic",
            "introduced_on",
            "notes",
            "source_need",
            "source_seed",
        ]
        widgets = {"introduced_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for side in ("a", "b"):
            self.fields[f"party_{side}_organisation"].queryset = visible_organisations(user)
            self.fields[f"party_{side}_person"].queryset = visible_people(user)
        self.fields["source_need"].queryset = visible_needs(user)
        self.fields["source_seed"].queryset = visible_seeds(user)
        if self.instance.pk is not None:
            self.fields["cluster"].disabled = True


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(choices=IntroductionStage.choices, label=_("new stage"))
    on = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        help_text=_("Required when closing or reopening."),
    )


class AttachmentForm(forms.Form):
    """The upload box on an interaction's or introduction's page; brokerage.attachments checks
    the file's type, size and name."""

    file = forms.FileField(label=_("file"), required=False, allow_empty_file=True)
