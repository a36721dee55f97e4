"""Code lists of the public sources, with the Japanese term as published next to the English one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportSource(models.TextChoices):
    CORPORATE_NUMBERS = "corporate_numbers", _("NTA corporate numbers (法人番号公表サイト)")
    RESEARCHMAP = "researchmap", _("researchmap researchers")
    KAKEN = "kaken", _("KAKEN grant projects (科研費)")
    PATENTS = "patents", _("Patent list")
    GBIZINFO = "gbizinfo", _("gBizINFO corporate information")
    ESTAT = "estat", _("e-Stat regional industry statistics")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted (stopped before the end)")


class CorporationProcess(models.TextChoices):
    """処理区分: why the NTA published this version of the record."""

    NEW = "01", _("New (新規)")
    NAME_CHANGED = "11", _("Name changed (商号又は名称の変更)")
    DOMESTIC_ADDRESS_CHANGED = "12", _("Domestic address changed (国内所在地の変更)")
    FOREIGN_ADDRESS_CHANGED = "13", _("Foreign address changed (国外所在地の変更)")
    CLOSED = "21", _("Registration closed (登記記録の閉鎖等)")
    REOPENED = "22", _("Registration reopened (登記記録の復活等)")
    MERGED = "71", _("Absorbed in a merger (吸収合併)")
    MERGER_ANNULLED = "72", _("Merger annulled (吸収合併無効)")
    TRADE_NAME_ERASED = "81", _("Trade name registration erased (商号の登記の抹消)")
    DELETED = "99", _("Deleted (削除)")


class CorporationKind(models.TextChoices):
    """法人種別."""

    NATIONAL_AGENCY = "101", _("National agency (国の機関)")
    LOCAL_GOVERNMENT = "201", _("Local government (地方公共団体)")
    STOCK_COMPANY = "301", _("Stock company (株式会社)")
    LIMITED_COMPANY = "302", _("Limited company (有限会社)")
    GENERAL_PARTNERSHIP = "303", _("General partnership company (合名会社)")
    LIMITED_PARTNERSHIP = "304", _("Limited partnership company (合資会社)")
    LLC = "305", _("Limited liability company (合同会社)")
    OTHER_REGISTERED = "399", _("Other registered corporation (その他の設立登記法人)")
    FOREIGN = "401", _("Foreign company (外国会社等)")
    OTHER = "499", _("Other (その他)")


class CloseCause(models.TextChoices):
    """登記記録の閉鎖等の事由."""

    LIQUIDATED = "01", _("Liquidation completed (清算の結了等)")
    MERGED = "11", _("Dissolved by merger (合併による解散等)")
    CLOSED_BY_REGISTRAR = "21", _("Closed by the registrar (登記官による閉鎖)")
    OTHER_LIQUIDATION = "31", _("Other liquidation completed (その他の清算の結了等)")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class LinkKind(models.TextChoices):
    """What an uncertain link found by an import would connect, once staff confirm it."""

    AFFILIATION = "affiliation", _("Researcher's affiliation → organisation")
    GRANT_INSTITUTION = "grant_institution", _("Grant project's institution → organisation")
    GRANT_MEMBER = "grant_member", _("Grant project member → person")
    PATENT_APPLICANT = "patent_applicant", _("Patent applicant → organisation")
    # A researchmap profile whose name matches people without a researcher number or ID that
    # says so: confirming links it to the chosen person, rejecting creates a new person.
    RESEARCHER_PROFILE = "researcher_profile", _("researchmap profile → person")


class PatentRightKind(models.TextChoices):
    PATENT = "patent", _("Patent (特許)")
    UTILITY_MODEL = "utility_model", _("Utility model (実用新案)")


class StatisticsSurvey(models.TextChoices):
    """The surveys regional industry figures come from, by their government statistics code."""

    ECONOMIC_CENSUS_ACTIVITY = "00200553", _("Economic Census for Business Activity (経済センサス‐活動調査)")
    ECONOMIC_CENSUS_BASIC = "00200552", _("Economic Census for Business Frame (経済センサス‐基礎調査)")


class StatisticsMeasure(models.TextChoices):
    ESTABLISHMENTS = "establishments", _("Establishments (事業所数)")
    EMPLOYEES = "employees", _("Employees (従業者数)")
