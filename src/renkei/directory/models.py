"""The network directory: organisations (組織), people (人材) and their affiliations (所属)."""

from __future__ import annotations

from django.conf import settings
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
    IndustryClass,
    Municipality,
    Prefecture,
    RecordSource,
    TechField,
    TimeStampedModel,
    Visibility,
)
from renkei.core.text import normalise_for_search
from renkei.core.validators import validate_corporate_number, validate_postal_code
from renkei.directory.choices import SECTOR_OF_KIND, OrganisationKind


class Organisation(BilingualNameMixin, TimeStampedModel):
    """A company, university, institute, public body or support organisation in the network."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit number assigned by the National Tax Agency (法人番号)."),
    )
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True, validators=[validate_postal_code])
    address = models.CharField(_("address"), max_length=300, blank=True)
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("prefecture"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    industry = models.ForeignKey(
        IndustryClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("industry (JSIC)"),
    )
    fields = models.ManyToManyField(TechField, blank=True, related_name="organisations", verbose_name=_("fields"))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    capital_yen = models.BigIntegerField(_("capital (yen)"), null=True, blank=True, validators=[MinValueValidator(0)])
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    capability = models.TextField(
        _("capabilities"), blank=True, help_text=_("Technologies, products and services the organisation offers.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS, db_index=True
    )
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices, default=RecordSource.MANUAL)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["name_kana", "name_ja", "name_en", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=~Q(name_ja="") | ~Q(name_en=""), name="organisation_has_a_name"),
        ]

    def clean(self) -> None:
        if not (self.name_ja or self.name_en):
            raise ValidationError({"name_ja": _("Give the name in Japanese or English.")})
        if self.municipality_id and self.prefecture_id and self.municipality.prefecture_id != self.prefecture_id:
            raise ValidationError({"municipality": _("This municipality is not in the chosen prefecture.")})

    def save(self, *args, **kwargs) -> None:
        if self.municipality_id and not self.prefecture_id:
            self.prefecture_id = self.municipality_id[:2]
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return normalise_for_search(self.name_ja, self.name_en, self.name_kana, self.corporate_number)

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND.get(self.kind, "support")

    @property
    def is_generated(self) -> bool:
        return self.source == RecordSource.GENERATED

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", args=[self.pk])


class Person(TimeStampedModel):
    """A researcher, engineer, coordinator or official (人材) in the network."""

    family_name_ja = models.CharField(_("family name (Japanese)"), max_length=64, blank=True)
    given_name_ja = models.CharField(_("given name (Japanese)"), max_length=64, blank=True)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=64, blank=True)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=64, blank=True)
    family_name_en = models.CharField(_("family name (English)"), max_length=64, blank=True)
    given_name_en = models.CharField(_("given name (English)"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    research_keywords = models.TextField(_("research keywords"), blank=True)
    fields = models.ManyToManyField(TechField, blank=True, related_name="people", verbose_name=_("fields"))
    researchmap_id = models.CharField(_("researchmap ID"), max_length=64, blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)
    consent_to_publish = models.BooleanField(
        _("consents to publication"),
        default=False,
        help_text=_("The person agreed that the fields marked public may be shown to visitors."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.RESTRICTED, db_index=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices, default=RecordSource.MANUAL)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["family_name_kana", "given_name_kana", "family_name_en", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~Q(family_name_ja="") | ~Q(family_name_en=""), name="person_has_a_family_name"
            ),
            models.CheckConstraint(
                condition=~Q(visibility="public") | Q(consent_to_publish=True),
                name="person_public_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_ja(self) -> str:
        return f"{self.family_name_ja} {self.given_name_ja}".strip()

    @property
    def name_en(self) -> str:
        return f"{self.given_name_en} {self.family_name_en}".strip()

    @property
    def name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    @property
    def name(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.name_en or self.name_ja
        return self.name_ja or self.name_en

    def clean(self) -> None:
        if not (self.family_name_ja or self.family_name_en):
            raise ValidationError({"family_name_ja": _("Give the family name in Japanese or English.")})
        if self.visibility == "public" and not self.consent_to_publish:
            raise ValidationError({"visibility": _("A person can be public only with their consent to publication.")})

    def save(self, *args, **kwargs) -> None:
        self.search_text = normalise_for_search(
            self.name_ja, self.name_en, self.name_kana, self.research_keywords, self.researchmap_id
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])


class Affiliation(TimeStampedModel):
    """A person's position at an organisation over a period (所属)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("organisation")
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=100, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary affiliation"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-is_primary", "-start_on"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="affiliation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    @property
    def title(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.title_en or self.title_ja
        return self.title_ja or self.title_en

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The affiliation cannot end before it starts.")})
