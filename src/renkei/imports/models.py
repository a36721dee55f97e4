"""Records of imports from public registries, and the reference tables they fill.

`Corporation` is the National Tax Agency's register (法人番号公表サイト) as published, one row per
corporate number; organisation forms look names and addresses up in it. `ImportRun` records every
import (who, when, which file and its checksum, the counts) and `ImportRejection` every row it
refused, with the line, the field and the reason.

The other importers write records of their own: `ResearcherIdentifier` (e-Rad researcher numbers
of people, from researchmap and KAKEN), `GrantProject` with its `GrantMember`s (KAKEN), `Patent`
with its `PatentApplicant`s, and `ReviewItem` with its `ReviewCandidate`s: the links an import
could not make with certainty, which staff confirm or reject.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core.validators import validate_corporate_number
from renkei.imports.choices import (
    CloseCause,
    CorporationKind,
    CorporationProcess,
    ImportSource,
    ImportStatus,
    LinkKind,
    PatentRightKind,
    ReviewStatus,
    StatisticsMeasure,
    StatisticsSurvey,
)


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
        _("skipped"),
        default=0,
        help_text=_(
            "Past-history rows, rows superseded later in the same batch, and records left waiting in the review queue."
        ),
    )
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    deleted = models.PositiveBigIntegerField(
        _("deleted"),
        default=0,
        help_text=_("Stored records the file replaced and no longer lists (e-Stat figures of its areas)."),
    )
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


class ResearcherIdentifier(models.Model):
    """A researcher number (研究者番号, the 8-digit e-Rad code) of a person in the directory: the key
    on which KAKEN projects and researchmap profiles meet."""

    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="researcher_identifiers", verbose_name=_("person")
    )
    erad_code = models.CharField(_("researcher number (e-Rad)"), max_length=8, unique=True)
    first_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("imported by")
    )

    class Meta:
        ordering = ["erad_code"]
        verbose_name = _("researcher number")
        verbose_name_plural = _("researcher numbers")

    def __str__(self) -> str:
        return self.erad_code


class GrantProject(models.Model):
    """A research project funded by a grant (研究課題), as KAKEN publishes it (科研費 projects)."""

    award_number = models.CharField(_("award number (課題番号)"), max_length=32, unique=True)
    record_id = models.CharField(_("KAKEN record ID"), max_length=64, blank=True)
    title_ja = models.TextField(_("title (Japanese)"), blank=True)
    title_en = models.TextField(_("title (English)"), blank=True)
    category = models.CharField(_("research category (研究種目)"), max_length=200, blank=True)
    section = models.CharField(_("section"), max_length=200, blank=True)
    research_field = models.CharField(_("research field"), max_length=300, blank=True)
    review_section = models.CharField(_("review section (審査区分)"), max_length=300, blank=True)
    institution_name = models.CharField(_("institution (as published)"), max_length=300, blank=True)
    institution = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_projects",
        verbose_name=_("institution"),
    )
    start_fiscal_year = models.PositiveSmallIntegerField(_("first fiscal year"), null=True, blank=True)
    end_fiscal_year = models.PositiveSmallIntegerField(_("last fiscal year"), null=True, blank=True)
    direct_cost = models.BigIntegerField(_("direct cost (yen)"), null=True, blank=True)
    indirect_cost = models.BigIntegerField(_("indirect cost (yen)"), null=True, blank=True)
    total_cost = models.BigIntegerField(_("total (yen)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=64, blank=True)
    keywords = models.TextField(_("keywords"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    modified_on = models.DateField(_("modified in KAKEN on"), null=True, blank=True)
    created_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed by an import"), auto_now=True)

    class Meta:
        ordering = ["-start_fiscal_year", "award_number"]
        verbose_name = _("grant project")
        verbose_name_plural = _("grant projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_fiscal_year__isnull=True)
                | models.Q(start_fiscal_year__isnull=True)
                | models.Q(end_fiscal_year__gte=models.F("start_fiscal_year")),
                name="imports_grantproject_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_number} {self.title_ja or self.title_en}"

    def get_absolute_url(self) -> str:
        return reverse("imports:grant_detail", args=[self.pk])


class GrantMember(models.Model):
    """A researcher of a grant project (principal or co-investigator), as published, and the
    person in the directory once linked."""

    project = models.ForeignKey(
        GrantProject, on_delete=models.CASCADE, related_name="members", verbose_name=_("project")
    )
    sequence = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=64, blank=True)
    researcher_number = models.CharField(_("researcher number (e-Rad)"), max_length=8, blank=True)
    name = models.CharField(_("name (as published)"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    institution_name = models.CharField(_("institution (as published)"), max_length=300, blank=True)
    department = models.CharField(_("department"), max_length=300, blank=True)
    job_title = models.CharField(_("title"), max_length=200, blank=True)
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_memberships",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["project", "sequence"]
        verbose_name = _("grant project member")
        verbose_name_plural = _("grant project members")
        constraints = [
            models.UniqueConstraint(fields=["project", "sequence"], name="imports_grantmember_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Patent(models.Model):
    """A Japanese patent application (特許出願) and what became of it, from a patent list."""

    application_number = models.CharField(
        _("application number"), max_length=16, unique=True, help_text=_("Normalised: JP, the year, six digits.")
    )
    application_number_as_published = models.CharField(_("application number (as published)"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=PatentRightKind.choices, default=PatentRightKind.PATENT)
    application_date = models.DateField(_("filed on"), null=True, blank=True)
    publication_number = models.CharField(_("publication number"), max_length=64, blank=True)
    publication_date = models.DateField(_("published on"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registration_date = models.DateField(_("registered on"), null=True, blank=True)
    title = models.TextField(_("title"))
    applicants_text = models.TextField(_("applicants (as published)"), blank=True)
    inventors = models.TextField(_("inventors"), blank=True)
    ipc = models.TextField(_("IPC"), blank=True)
    fi = models.TextField(_("FI"), blank=True)
    fterm_themes = models.TextField(_("F-term themes"), blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    source_note = models.CharField(_("source note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed by an import"), auto_now=True)

    class Meta:
        ordering = ["-application_date", "application_number"]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("imports:patent_detail", args=[self.pk])


class PatentApplicant(models.Model):
    """An applicant (出願人) of a patent as published, and the organisation once linked."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="applicants", verbose_name=_("patent"))
    sequence = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (as published)"), max_length=300)
    corporate_number = models.CharField(_("corporate number"), max_length=13, blank=True)
    address = models.CharField(_("address (as published)"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patent_applications",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["patent", "sequence"]
        verbose_name = _("patent applicant")
        verbose_name_plural = _("patent applicants")
        constraints = [
            models.UniqueConstraint(fields=["patent", "sequence"], name="imports_patentapplicant_unique_sequence")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewItem(models.Model):
    """A link an import could not make with certainty (a name without a confirming address, or
    several candidates), waiting for staff to confirm one candidate or reject them all.

    The subject is the record the link starts from: a person (affiliation), a grant project
    (institution), a grant member (person) or a patent applicant (organisation). A researchmap
    profile that matches people by name only has no subject yet: the profile as read waits in
    `profile` until a reviewer links it to a person or rejects the candidates (a new person).
    `owner` is the office whose import queued the item and which reviews it (`linking.review_office`):
    the cluster HQ office of the run's starter (`hq:<cluster IDs>`), or `all` for national officers,
    administrators and the command line. `key` makes the item unique per subject and published name
    within its office, so re-importing a file adds no second item and a rejected link is not asked
    again there; another office importing the same record gets an item of its own."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="review_items", verbose_name=_("run"))
    line_number = models.PositiveBigIntegerField(_("line"))
    source_row = models.TextField(_("row as read"), blank=True)
    kind = models.CharField(_("link"), max_length=32, choices=LinkKind.choices)
    key = models.CharField(_("key"), max_length=255)
    owner = models.CharField(
        _("office"),
        max_length=255,
        db_index=True,
        help_text=_(
            "The office that queued the link and reviews it: hq:<cluster IDs> for a cluster HQ office, "
            "all for national officers and administrators."
        ),
    )
    name = models.CharField(_("name as published"), max_length=300)
    name_key = models.CharField(_("name for matching"), max_length=300, db_index=True, blank=True)
    context = models.CharField(
        _("context"), max_length=300, blank=True, help_text=_("Address, department or title that came with the name.")
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    grant_project = models.ForeignKey(
        GrantProject, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("grant project")
    )
    grant_member = models.ForeignKey(
        GrantMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("grant member")
    )
    patent_applicant = models.ForeignKey(
        PatentApplicant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patent applicant"),
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=100, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    profile = models.JSONField(
        _("profile as read"),
        null=True,
        blank=True,
        help_text=_("A researchmap profile waiting for its person (researchmap.researcher_payload)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    chosen = models.ForeignKey(
        "ReviewCandidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("chosen")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        ordering = ["status", "-created_at", "pk"]
        verbose_name = _("link to review")
        verbose_name_plural = _("links to review")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="imports_reviewitem_status"
            ),
            models.UniqueConstraint(fields=["key", "owner"], name="imports_reviewitem_unique_key_per_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:review_detail", args=[self.pk])

    @property
    def subject(self) -> models.Model | None:
        return self.person or self.grant_project or self.grant_member or self.patent_applicant


class ReviewCandidate(models.Model):
    """One record a review item's name may refer to, with how well it matched and why."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("item"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    score = models.FloatField(_("score"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["item", "-score", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="imports_reviewcandidate_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} ({self.score:.2f})"

    @property
    def target(self) -> models.Model | None:
        return self.organisation or self.person


class CorporateProfile(models.Model):
    """What gBizINFO (METI's 法人基本情報) adds to an organisation with a corporate number: its
    status, business summary and items, workforce detail. Capital, employees, founding date and
    homepage go to the organisation itself; this side table holds the rest, as published."""

    organisation = models.OneToOneField(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="corporate_profile",
        verbose_name=_("organisation"),
    )
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, unique=True, validators=[validate_corporate_number]
    )
    status = models.CharField(_("status (ステータス)"), max_length=64, blank=True)
    closed_on = models.DateField(_("registration closed on"), null=True, blank=True)
    close_cause = models.CharField(_("reason for closing"), max_length=2, choices=CloseCause.choices, blank=True)
    employees_male = models.PositiveIntegerField(_("employees (men)"), null=True, blank=True)
    employees_female = models.PositiveIntegerField(_("employees (women)"), null=True, blank=True)
    business_items = models.CharField(
        _("business item codes (営業品目)"),
        max_length=1000,
        blank=True,
        help_text=_("The codes of the unified qualification's business items, separated by spaces."),
    )
    business_summary = models.TextField(_("business summary (事業概要)"), blank=True)
    homepage = models.CharField(_("homepage (as published)"), max_length=500, blank=True)
    founding_year = models.PositiveSmallIntegerField(_("founding year (創業年)"), null=True, blank=True)
    qualification_grade = models.CharField(_("qualification grade (資格等級)"), max_length=16, blank=True)
    source_updated_on = models.DateField(_("updated in gBizINFO on"), null=True, blank=True)
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed by an import"), auto_now=True)

    class Meta:
        ordering = ["corporate_number"]
        verbose_name = _("corporate profile (gBizINFO)")
        verbose_name_plural = _("corporate profiles (gBizINFO)")

    def __str__(self) -> str:
        return f"gBizINFO {self.corporate_number}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None or "閉鎖" in self.status


class RegionalIndustryStatistic(models.Model):
    """One figure of a regional industry statistic (地域別・産業別統計): the establishments or the
    employees of one JSIC division or major group in one municipality, in one survey and year, as
    e-Stat publishes it. A suppressed or empty cell (X, -, …) has no value and `suppressed` set."""

    survey = models.CharField(_("survey"), max_length=8, choices=StatisticsSurvey.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    industry = models.ForeignKey(
        "core.IndustryClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("industry (JSIC)")
    )
    measure = models.CharField(_("measure"), max_length=16, choices=StatisticsMeasure.choices)
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    suppressed = models.BooleanField(
        _("no figure published"), default=False, help_text=_("The cell held a symbol (X secret, - none, … n/a).")
    )
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    annotation = models.CharField(_("annotation"), max_length=200, blank=True)
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    updated_at = models.DateTimeField(_("last changed by an import"), auto_now=True)

    class Meta:
        ordering = ["survey", "-year", "municipality", "industry__code", "measure"]
        verbose_name = _("regional industry statistic")
        verbose_name_plural = _("regional industry statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "year", "municipality", "industry", "measure"],
                name="imports_regionalstatistic_unique_figure",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | models.Q(suppressed=True),
                name="imports_regionalstatistic_value_or_suppressed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.municipality_id} {self.industry_id} {self.measure}: {self.value}"
