"""Seeds (シーズ) and needs (ニーズ), and what happens around a match: coordinator feedback,
alerts and their inbox, expressions of interest, and challenges with their proposals."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renkei.core.models import RecordSource, TechField, TimeStampedModel
from renkei.directory.models import Organisation, Person
from renkei.matching.choices import (
    DeclineReason,
    InboxKind,
    InterestStatus,
    Language,
    ListingVisibility,
    NeedStatus,
    ProposalStatus,
    Stage,
    TargetKind,
    Verdict,
)
from renkei.programs.models import Cluster

KEYWORD_SPLIT = re.compile(r"[,、，;；\n]+")


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


class Listing(TimeStampedModel):
    """What seeds and needs share: a bilingual title and text, fields, visibility, anonymity."""

    lang = models.CharField(_("original language"), max_length=2, choices=Language.choices, default=Language.JA)
    title_ja = models.CharField(pgettext_lazy("seed or need", "title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(pgettext_lazy("seed or need", "title (English)"), max_length=300, blank=True)
    fields = models.ManyToManyField(TechField, blank=True, related_name="+", verbose_name=_("fields"))
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="+", verbose_name=_("clusters"))
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=ListingVisibility.choices,
        default=ListingVisibility.CLUSTER,
        db_index=True,
    )
    anonymised = models.BooleanField(
        _("anonymised"),
        default=False,
        help_text=_("Hide the owner: only coordinators see it and pass contacts on."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Where the listing came from; the demo marks its generated listings so --reset finds them.
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices, default=RecordSource.MANUAL)

    text_fields: tuple[str, str] = ("", "")

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        if _english():
            return self.title_en or self.title_ja
        return self.title_ja or self.title_en

    @property
    def text(self) -> str:
        ja, en = (getattr(self, name) for name in self.text_fields)
        return (en or ja) if _english() else (ja or en)

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if not (self.title_ja.strip() or self.title_en.strip()):
            errors["title_ja"] = _("Give the title in Japanese or English.")
        ja, en = (getattr(self, name) for name in self.text_fields)
        if not (ja.strip() or en.strip()):
            errors[self.text_fields[0]] = _("Give the text in Japanese or English.")
        if errors:
            raise ValidationError(errors)


class Seed(Listing):
    """A technology seed (シーズ) offered by a university, institute or company."""

    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="seeds", verbose_name=_("owning organisation")
    )
    researchers = models.ManyToManyField(Person, blank=True, related_name="seeds", verbose_name=_("researchers"))
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas (、 or ,).")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    related_patents = models.TextField(_("related patents"), blank=True)

    text_fields = ("summary_ja", "summary_en")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("seed")
        verbose_name_plural = _("seeds")
        constraints = [
            models.CheckConstraint(condition=~Q(title_ja="") | ~Q(title_en=""), name="seed_has_a_title"),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | (Q(trl__gte=1) & Q(trl__lte=9)), name="seed_trl_1_to_9"
            ),
        ]

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in KEYWORD_SPLIT.split(self.keywords) if k.strip()]

    def get_absolute_url(self) -> str:
        return reverse("matching:seed_detail", args=[self.pk])


class Need(Listing):
    """A company's need (ニーズ): a problem it wants solved, with timing and budget."""

    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="needs", verbose_name=_("company")
    )
    desired_timing = models.CharField(
        _("desired timing"), max_length=100, blank=True, help_text=_("For example: within FY2027, in 6 months.")
    )
    budget_min_yen = models.BigIntegerField(
        _("budget from (yen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_max_yen = models.BigIntegerField(
        _("budget to (yen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    contact = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact person")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True
    )

    text_fields = ("description_ja", "description_en")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(condition=~Q(title_ja="") | ~Q(title_en=""), name="need_has_a_title"),
            models.CheckConstraint(
                condition=Q(budget_min_yen__isnull=True)
                | Q(budget_max_yen__isnull=True)
                | Q(budget_max_yen__gte=models.F("budget_min_yen")),
                name="need_budget_range_order",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.budget_min_yen is not None
            and self.budget_max_yen is not None
            and self.budget_max_yen < self.budget_min_yen
        ):
            raise ValidationError({"budget_max_yen": _("The upper end of the budget is below the lower end.")})

    def get_absolute_url(self) -> str:
        return reverse("matching:need_detail", args=[self.pk])


class Feedback(TimeStampedModel):
    """A coordinator's judgement of one suggestion shown on a need's page."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("need"))
    target_kind = models.CharField(_("suggestion kind"), max_length=16, choices=TargetKind.choices)
    target_id = models.PositiveIntegerField(_("suggestion"))
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    decline_reason = models.CharField(_("reason"), max_length=24, choices=DeclineReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("feedback on a suggestion")
        verbose_name_plural = _("feedback on suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "target_kind", "target_id", "author"], name="feedback_one_per_author_and_suggestion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.target_kind}-{self.target_id}: {self.get_verdict_display()}"


class Alert(TimeStampedModel):
    """A saved search or need: new seeds matching it land in the user's inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_alerts", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=200)
    query = models.TextField(_("search text"), blank=True)
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts", verbose_name=_("need")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user", "name", "id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(condition=~Q(query="") | Q(need__isnull=False), name="alert_has_a_query_or_need"),
        ]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> str:
        if self.need_id:
            need = self.need
            return "\n".join(t for t in (need.title_ja, need.title_en, need.description_ja, need.description_en) if t)
        return self.query


class Interest(TimeStampedModel):
    """An expression of interest in a seed or need, sent through the platform (and logged)."""

    seed = models.ForeignKey(
        Seed, on_delete=models.CASCADE, null=True, blank=True, related_name="interests", verbose_name=_("seed")
    )
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="interests", verbose_name=_("need")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    sender_name = models.CharField(_("your name"), max_length=200)
    sender_organisation = models.CharField(_("your organisation"), max_length=200, blank=True)
    sender_email = models.EmailField(_("your e-mail"))
    message = models.TextField(_("message"), max_length=2000)
    routed_to_coordinator = models.BooleanField(_("sent to the coordinator"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=InterestStatus.choices, default=InterestStatus.SENT, db_index=True
    )
    decline_reason = models.CharField(_("reason"), max_length=24, choices=DeclineReason.choices, blank=True)
    decline_text = models.CharField(_("reason (details)"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.CheckConstraint(
                condition=(Q(seed__isnull=False) & Q(need__isnull=True))
                | (Q(seed__isnull=True) & Q(need__isnull=False)),
                name="interest_in_one_listing",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="interest_decline_has_reason"
            ),
        ]

    @property
    def listing(self) -> Seed | Need:
        return self.seed if self.seed_id else self.need

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.listing}"


class Challenge(TimeStampedModel):
    """A need published as a time-boxed call (チャレンジ): seed owners answer with proposals."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="challenge", verbose_name=_("need"))
    deadline = models.DateField(_("deadline"))
    brief = models.TextField(_("what a proposal should say"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return str(self.need)

    def get_absolute_url(self) -> str:
        return reverse("matching:challenge_detail", args=[self.pk])


class Proposal(TimeStampedModel):
    """A seed owner's short answer to a challenge."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("challenge")
    )
    seed = models.ForeignKey(Seed, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("seed"))
    text = models.TextField(_("proposal"), max_length=3000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED, db_index=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "-created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "seed"], name="proposal_one_per_seed_and_challenge"),
        ]

    def __str__(self) -> str:
        return f"{self.seed} → {self.challenge}"


class InboxItem(TimeStampedModel):
    """One message in a user's matching inbox: a new match for an alert, an expression of
    interest, a decline or a proposal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_inbox", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InboxKind.choices)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    seed = models.ForeignKey(Seed, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason = models.CharField(_("why"), max_length=500, blank=True)
    read = models.BooleanField(_("read"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "alert", "seed"],
                condition=Q(kind="alert_match"),
                name="inbox_one_item_per_alert_and_seed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


def _organisation_changed(sender, instance: Organisation, **kwargs) -> None:
    """An organisation's capability text is matched too: keep its index entry current."""
    from renkei.matching import indexing

    if kwargs.get("created") and not instance.capability:
        return  # nothing to match yet
    indexing.schedule(instance)  # also when the capability was cleared: the entry is dropped


models.signals.post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="matching_org_saved")
models.signals.post_delete.connect(_organisation_changed, sender=Organisation, dispatch_uid="matching_org_deleted")
