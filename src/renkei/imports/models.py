"""Records of imports from public registries, and the reference tables they fill.

`Corporation` is the National Tax Agency's register (法人番号公表サイト) as published, one row per
corporate number; organisation forms look names and addresses up in it. `ImportRun` records every
import (who, when, which file and its checksum, the counts) and `ImportRejection` every row it
refused, with the line, the field and the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core.validators import validate_corporate_number
from renkei.imports.choices import CloseCause, CorporationKind, CorporationProcess, ImportSource, ImportStatus


class Corporation(models.Model):
    """A corporation as the NTA publishes it (法人), its latest record only.

    Texts are stored exactly as published (full-width digits included); codes keep their leading
    zeros. Written only by the bulk loader in `renkei.imports.loader`, which sets the timestamps.
    """

    corporate_number = models.CharField(
        _("corporate number"), max_length=13, primary_key=True, validators=[validate_corporate_number]
    )
    process = models.CharField(_("process (処理区分)"), max_length=2, choices=CorporationProcess.choices)
    correction = models.BooleanField(_("correction (訂正区分)"), default=False)
    update_date = models.DateField(_("updated by the NTA on"), null=True, blank=True)
    change_date = models.DateField(_("changed on"), null=True, blank=True)
    name = models.TextField(_("name (商号又は名称)"))
    name_image_id = models.CharField(_("name image ID"), max_length=16, blank=True)
    kind = models.CharField(_("kind (法人種別)"), max_length=3, choices=CorporationKind.choices, blank=True)
    prefecture_name = models.TextField(_("prefecture"), blank=True)
    city_name = models.TextField(_("city, ward, town or village"), blank=True)
    street_number = models.TextField(_("street address"), blank=True)
    address_image_id = models.CharField(_("address image ID"), max_length=16, blank=True)
    prefecture_code = models.CharField(_("prefecture code (JIS X 0401)"), max_length=2, blank=True)
    city_code = models.CharField(_("municipality code (3 digits)"), max_length=3, blank=True)
    post_code = models.CharField(_("postal code"), max_length=7, blank=True)
    address_outside = models.TextField(_("address outside Japan"), blank=True)
    address_outside_image_id = models.CharField(_("address outside Japan image ID"), max_length=16, blank=True)
    close_date = models.DateField(_("closed on"), null=True, blank=True)
    close_cause = models.CharField(_("reason for closing"), max_length=2, choices=CloseCause.choices, blank=True)
    successor_corporate_number = models.CharField(_("successor corporate number"), max_length=13, blank=True)
    change_cause = models.TextField(_("details of the change"), blank=True)
    assignment_date = models.DateField(_("number assigned on"), null=True, blank=True)
    latest = models.BooleanField(_("latest record (最新履歴)"), default=True)
    name_en = models.TextField(_("name (English)"), blank=True)
    prefecture_name_en = models.TextField(_("prefecture (English)"), blank=True)
    city_name_en = models.TextField(_("address (English)"), blank=True)
    address_outside_en = models.TextField(_("address outside Japan (English)"), blank=True)
    furigana = models.TextField(_("name (kana)"), blank=True)
    hidden_from_search = models.BooleanField(_("excluded from search (検索対象除外)"), default=False)
    layout_columns = models.PositiveSmallIntegerField(
        _("columns in the source file"), help_text=_("24 to 30: the NTA layout version the record came in.")
    )
    name_key = models.TextField(
        _("name for look-up"), blank=True, help_text=_("The name without its legal form, folded (nta.name_key).")
    )
    created_at = models.DateTimeField(_("first imported"))
    updated_at = models.DateTimeField(_("last changed by an import"))

    class Meta:
        ordering = ["corporate_number"]
        verbose_name = _("corporation (NTA)")
        verbose_name_plural = _("corporations (NTA)")
        # The look-up index on name_key is made per database in migration 0002 (binary order:
        # COLLATE "C" on PostgreSQL, SQLite's default), so that a prefix is an index range.

    def __str__(self) -> str:
        return f"{self.name} ({self.corporate_number})"

    @property
    def municipality_code(self) -> str:
        """The 5-digit JIS X 0402 code without its check digit, as e-Stat and MLIT write it."""
        return f"{self.prefecture_code}{self.city_code}" if self.prefecture_code and self.city_code else ""


class ImportRun(models.Model):
    """One import of one file: who started it, the file and its checksum, and what it did."""

    source = models.CharField(_("source"), max_length=32, choices=ImportSource.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("file size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    error = models.TextField(_("error"), blank=True)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    batch_size = models.PositiveIntegerField(_("batch size"))
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    created = models.PositiveBigIntegerField(_("created"), default=0)
    updated = models.PositiveBigIntegerField(_("updated"), default=0)
    unchanged = models.PositiveBigIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveBigIntegerField(
        _("skipped"), default=0, help_text=_("Past-history rows and rows superseded later in the same batch.")
    )
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    batches_committed = models.PositiveIntegerField(_("batches committed"), default=0)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process ID"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="imports_importrun_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("imports:run_detail", args=[self.pk])


class ImportRejection(models.Model):
    """A row an import refused: where it was, which field was wrong and why, and the row itself."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections", verbose_name=_("run"))
    line_number = models.PositiveBigIntegerField(_("line"))
    field = models.CharField(_("field"), max_length=64)
    reason = models.TextField(_("reason"))
    raw = models.TextField(_("row as read"), blank=True)

    class Meta:
        ordering = ["run", "line_number", "pk"]
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.field}: {self.reason}"
