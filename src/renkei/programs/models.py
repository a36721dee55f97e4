"""Programmes (施策), clusters and projects (クラスター／プロジェクト), their members, HQ and budgets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renkei.core.models import (
    BilingualNameMixin,
    BureauRegion,
    Prefecture,
    RecordSource,
    TechField,
    TimeStampedModel,
)
from renkei.core.text import normalise_for_search
from renkei.core.validators import validate_fiscal_year
from renkei.directory.models import Organisation, Person
from renkei.programs.choices import BudgetSource, MembershipRole, Ministry, PositionKind


def _check_fiscal_period(start: int | None, end: int | None, field: str = "end_fy") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: _("The period cannot end before it starts.")})


class Programme(BilingualNameMixin, TimeStampedModel):
    """A national policy programme such as METI's Industrial Cluster Program or MEXT's Knowledge
    Cluster Initiative (知的クラスター創成事業)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    ministry = models.CharField(_("ministry"), max_length=8, choices=Ministry.choices)
    phase = models.CharField(_("phase"), max_length=16, blank=True)
    start_fy = models.PositiveSmallIntegerField(_("first fiscal year"), validators=[validate_fiscal_year])
    end_fy = models.PositiveSmallIntegerField(
        _("last fiscal year"), null=True, blank=True, validators=[validate_fiscal_year]
    )
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ministry", "start_fy", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_fy__isnull=True) | Q(end_fy__gte=models.F("start_fy")), name="programme_period_order"
            )
        ]

    @property
    def description(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.description_en or self.description_ja
        return self.description_ja or self.description_en

    def clean(self) -> None:
        _check_fiscal_period(self.start_fy, self.end_fy)

    def get_absolute_url(self) -> str:
        return reverse("programs:programme_detail", args=[self.code])


class Cluster(BilingualNameMixin, TimeStampedModel):
    """A cluster, project or area under a programme, run by a promotion organisation's HQ."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region_label = models.CharField(
        _("region"), max_length=200, blank=True, help_text=_("The region as the programme names it.")
    )
    bureau_region = models.ForeignKey(
        BureauRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clusters",
        verbose_name=_("bureau region"),
    )
    prefectures = models.ManyToManyField(Prefecture, blank=True, related_name="clusters", verbose_name=_("prefectures"))
    fields = models.ManyToManyField(TechField, blank=True, related_name="clusters", verbose_name=_("fields"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    promotion_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promoted_clusters",
        verbose_name=_("promotion organisation"),
    )
    start_fy = models.PositiveSmallIntegerField(
        _("first fiscal year"), null=True, blank=True, validators=[validate_fiscal_year]
    )
    end_fy = models.PositiveSmallIntegerField(
        _("last fiscal year"), null=True, blank=True, validators=[validate_fiscal_year]
    )
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_trial = models.BooleanField(_("trial region"), default=False)
    verified = models.BooleanField(
        _("verified in the public record"),
        default=False,
        help_text=_("Whether the name and details were checked against a public source."),
    )
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices, default=RecordSource.MANUAL)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["programme__start_fy", "programme__code", "code"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.CheckConstraint(condition=~Q(name_ja="") | ~Q(name_en=""), name="cluster_has_a_name"),
            models.CheckConstraint(
                condition=Q(end_fy__isnull=True) | Q(start_fy__isnull=True) | Q(end_fy__gte=models.F("start_fy")),
                name="cluster_period_order",
            ),
        ]

    @property
    def description(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.description_en or self.description_ja
        return self.description_ja or self.description_en

    def clean(self) -> None:
        if not (self.name_ja or self.name_en):
            raise ValidationError({"name_ja": _("Give the name in Japanese or English.")})
        _check_fiscal_period(self.start_fy, self.end_fy)

    def save(self, *args, **kwargs) -> None:
        self.search_text = normalise_for_search(self.name_ja, self.name_en, self.region_label, self.theme, self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("programs:cluster_detail", args=[self.code])


class Membership(TimeStampedModel):
    """An organisation's participation in a cluster over a period (参加)."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "organisation__name_kana", "organisation__name_ja"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["cluster", "organisation", "role"], name="membership_unique_cluster_organisation_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.cluster}"

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The membership cannot end before it starts.")})


class HQPosition(TimeStampedModel):
    """A position in a cluster's headquarters (本部): President, Program Director, coordinator…"""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="positions", verbose_name=_("cluster"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person"))
    kind = models.CharField(_("position"), max_length=24, choices=PositionKind.choices)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "kind", "start_on"]
        verbose_name = _("HQ position")
        verbose_name_plural = _("HQ positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="hqposition_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.cluster})"

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The position cannot end before it starts.")})


class Budget(TimeStampedModel):
    """A cluster's budget for one fiscal year from one source, in yen (予算)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("cluster"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=[validate_fiscal_year])
    source = models.CharField(
        _("source of funds"), max_length=16, choices=BudgetSource.choices, default=BudgetSource.NATIONAL
    )
    amount_yen = models.BigIntegerField(_("amount (yen)"), validators=[MinValueValidator(0)])
    is_estimate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("The figure is the programme's typical amount, not a reported one."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "fiscal_year", "source"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "fiscal_year", "source"], name="budget_unique_cluster_fy_source"
            ),
            models.CheckConstraint(condition=Q(amount_yen__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} FY{self.fiscal_year}: ¥{self.amount_yen:,}"
