"""Reference data shared by every domain: regions, prefectures, municipalities, JSIC industries,
technology fields, and the abstract bases that give each record timestamps and change history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from renkei.core.validators import validate_local_government_code


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Picks the name in the active language and falls back to the other."""

    name_ja: str
    name_en: str

    @property
    def name(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.name_en or self.name_ja
        return self.name_ja or self.name_en

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Signed-in members")
    RESTRICTED = "restricted", _("Cluster staff only")


class RecordSource(models.TextChoices):
    """Where a record came from, shown on its page so readers can weigh it."""

    SEED_DOCUMENT = "seed", _("Named in the programme documents")
    PROGRAM_LIST = "program_list", _("Public-record programme list")
    GENERATED = "generated", _("Generated demo data")
    IMPORT = "import", _("Imported from a public registry")
    MANUAL = "manual", _("Entered by a user")


class BureauRegion(BilingualNameMixin, models.Model):
    """A METI regional bureau area (経済産業局の管轄区域), the unit of the Industrial Cluster Program."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("bureau region")
        verbose_name_plural = _("bureau regions")


class Prefecture(BilingualNameMixin, models.Model):
    """One of the 47 prefectures (都道府県), keyed by its JIS X 0401 code."""

    code = models.CharField(_("JIS code"), max_length=2, primary_key=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=8)
    name_en = models.CharField(_("name (English)"), max_length=32)
    name_kana = models.CharField(_("name (kana)"), max_length=16, blank=True)
    region = models.ForeignKey(
        BureauRegion, on_delete=models.PROTECT, related_name="prefectures", verbose_name=_("bureau region")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")


class Municipality(BilingualNameMixin, models.Model):
    """A city, ward, town or village (市区町村), keyed by the 6-digit local government code.

    The wards of designated cities (行政区, e.g. 札幌市中央区) are rows of their own with the city
    as `parent`: statistics are published per ward. A code that was abolished (a merger, a
    reorganisation of wards) keeps its row with `valid_until` set, so old figures still point at it."""

    class Kind(models.TextChoices):
        CITY = "city", _("City (市)")
        SPECIAL_WARD = "special_ward", _("Special ward of Tokyo (特別区)")
        WARD = "ward", _("Ward of a designated city (行政区)")
        TOWN = "town", _("Town (町)")
        VILLAGE = "village", _("Village (村)")

    code = models.CharField(
        _("local government code"), max_length=6, primary_key=True, validators=[validate_local_government_code]
    )
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("prefecture")
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    name_kana = models.CharField(_("name (kana)"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("designated city"),
        help_text=_("For a ward of a designated city: the city."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class IndustryClass(BilingualNameMixin, models.Model):
    """A class of the Japan Standard Industrial Classification (日本標準産業分類, JSIC)."""

    class Level(models.TextChoices):
        DIVISION = "division", _("Division (大分類)")
        MAJOR_GROUP = "major_group", _("Major group (中分類)")
        GROUP = "group", _("Group (小分類)")

    revision = models.CharField(_("revision"), max_length=8, default="13")
    code = models.CharField(_("code"), max_length=4)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)

    class Meta:
        ordering = ["revision", "code"]
        verbose_name = _("industry class")
        verbose_name_plural = _("industry classes")
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="industryclass_unique_revision_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TechField(BilingualNameMixin, models.Model):
    """A technology field (技術分野) used to tag clusters, organisations and people."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("technology field")
        verbose_name_plural = _("technology fields")
