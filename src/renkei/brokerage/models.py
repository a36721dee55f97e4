"""The coordinator's CRM (コーディネータ活動記録): interactions with companies and researchers, and
introductions (紹介) with their pipeline introduced → met → NDA → joint research → commercialised."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from renkei.brokerage.choices import InteractionKind, IntroductionStage
from renkei.core.models import TimeStampedModel
from renkei.directory.models import Organisation, Person
from renkei.matching.models import Need, Seed
from renkei.programs.models import Cluster


class Interaction(TimeStampedModel):
    """One contact a coordinator logged: a consultation (相談), a company visit or dispatch (派遣),
    a call, an introduction, a meeting, an NDA signed or a joint research agreed."""

    kind = models.CharField(_("kind"), max_length=24, choices=InteractionKind.choices)
    date = models.DateField(_("date"))
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="interactions", verbose_name=_("cluster")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interactions",
        verbose_name=_("coordinator"),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="interactions", verbose_name=_("organisations")
    )
    people = models.ManyToManyField(Person, blank=True, related_name="interactions", verbose_name=_("people"))
    topic = models.CharField(_("topic"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    confidential = models.BooleanField(
        _("confidential notes"),
        default=False,
        help_text=_("The notes are shown only to their author, the coordinator and the cluster's HQ."),
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("need")
    )
    seed = models.ForeignKey(
        Seed, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("seed")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["cluster", "date"], name="interaction_cluster_date")]
        constraints = [models.CheckConstraint(condition=~Q(topic=""), name="interaction_has_topic")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.topic}"

    def clean(self) -> None:
        errors = {}
        if not self.topic.strip():
            errors["topic"] = _("Give the topic.")
        if self.next_follow_up_on and self.date and self.next_follow_up_on < self.date:
            errors["next_follow_up_on"] = _("The follow-up cannot come before the interaction.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("brokerage:interaction_detail", args=[self.pk])


class Introduction(TimeStampedModel):
    """Two parties a coordinator brought together (紹介), followed through the pipeline until they
    commercialise a result or the introduction is closed with a reason. Each party is an
    organisation, a person, or a person at an organisation."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="introductions", verbose_name=_("cluster")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="introductions",
        verbose_name=_("coordinator"),
    )
    party_a_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first party: organisation"),
    )
    party_a_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("first party: person")
    )
    party_b_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party: organisation"),
    )
    party_b_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party: person"),
    )
    topic = models.CharField(_("topic"), max_length=300)
    introduced_on = models.DateField(_("introduced on"))
    stage = models.CharField(
        _("stage"), max_length=16, choices=IntroductionStage.choices, default=IntroductionStage.INTRODUCED
    )
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("suggested for need")
    )
    source_seed = models.ForeignKey(
        Seed, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("suggested seed")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-introduced_on", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(
                condition=Q(party_a_organisation__isnull=False) | Q(party_a_person__isnull=False),
                name="introduction_has_first_party",
            ),
            models.CheckConstraint(
                condition=Q(party_b_organisation__isnull=False) | Q(party_b_person__isnull=False),
                name="introduction_has_second_party",
            ),
            models.CheckConstraint(
                condition=~Q(stage=IntroductionStage.CLOSED) | ~Q(closed_reason=""),
                name="introduction_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_label('a')} ⇄ {self.party_label('b')}"

    def party_label(self, side: str) -> str:
        organisation = getattr(self, f"party_{side}_organisation")
        person = getattr(self, f"party_{side}_person")
        names = [str(x.name) for x in (person, organisation) if x is not None]
        return " / ".join(names)

    def clean(self) -> None:
        errors = {}
        if not self.topic.strip():
            errors["topic"] = _("Give the topic.")
        if self.party_a_organisation_id is None and self.party_a_person_id is None:
            errors["party_a_organisation"] = _("Name the first party: an organisation, a person or both.")
        if self.party_b_organisation_id is None and self.party_b_person_id is None:
            errors["party_b_organisation"] = _("Name the second party: an organisation, a person or both.")
        side_a = (self.party_a_organisation_id, self.party_a_person_id)
        if not errors and side_a == (self.party_b_organisation_id, self.party_b_person_id):
            errors["party_b_organisation"] = _("The two parties must differ.")
        if self.stage == IntroductionStage.CLOSED and not self.closed_reason.strip():
            errors["closed_reason"] = _("Give the reason for closing.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("brokerage:introduction_detail", args=[self.pk])


class StageChange(models.Model):
    """One move of an introduction through the pipeline, with the date it happened."""

    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("introduction")
    )
    from_stage = models.CharField(
        pgettext_lazy("stage move", "from"), max_length=16, choices=IntroductionStage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=16, choices=IntroductionStage.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=pgettext_lazy("stage move", "by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class FollowUpDigest(models.Model):
    """The daily follow-up reminder mail sent to one user for one day, so that running the job
    twice on the same day sends nothing new."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    sent_on = models.DateField(_("digest date"))
    item_count = models.PositiveIntegerField(_("follow-ups listed"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "user_id"]
        verbose_name = _("follow-up digest")
        verbose_name_plural = _("follow-up digests")
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="followup_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.sent_on:%Y-%m-%d} → {self.user}"


def attachment_path(attachment: Attachment, filename: str) -> str:
    """Where the file is stored under the media root: a random directory per file, so two files of
    the same name never collide and a stored path cannot be guessed from the record."""
    return f"crm/attachments/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file attached to an interaction or an introduction (an NDA draft, a visit report, slides).
    It is read under the same rule as the record's notes and served only through the CRM's
    download view, never as a public media file."""

    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("interaction"),
    )
    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("introduction"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(interaction__isnull=False, introduction__isnull=True)
                | Q(interaction__isnull=True, introduction__isnull=False),
                name="attachment_belongs_to_one_record",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brokerage:attachment_download", args=[self.pk])

    @property
    def record(self) -> Interaction | Introduction:
        return self.interaction if self.interaction_id is not None else self.introduction

    @property
    def cluster_id(self) -> int:
        return self.record.cluster_id
