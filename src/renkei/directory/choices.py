from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SME = "sme", _("SME")
    LARGE_ENTERPRISE = "large_enterprise", _("Large enterprise")
    UNIVERSITY = "university", _("University")
    TECHNICAL_COLLEGE = "technical_college", _("Technical college")
    PUBLIC_RESEARCH = "public_research", _("Public research institute")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    MINISTRY = "ministry", _("Ministry / regional bureau")
    INCUBATOR = "incubator", _("Incubator")
    FINANCIAL = "financial", _("Financial institution")
    VENTURE_CAPITAL = "venture_capital", _("Venture capital")
    TLO = "tlo", _("TLO (technology licensing office)")
    TRADING_FIRM = "trading_firm", _("Trading firm")
    SUPPORT_ORG = "support_org", _("Industrial support organisation")
    TESTING_LAB = "testing_lab", _("Testing laboratory")
    PROFESSIONAL_FIRM = "professional_firm", _("Professional firm (patent attorney, lawyer, accountant)")
    CHAMBER = "chamber", _("Chamber of commerce")
    FOREIGN_CLUSTER = "foreign_cluster", _("Foreign cluster organisation")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The triple-helix sector of an organisation, used by dashboards and network analysis."""

    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia")
    GOVERNMENT = "government", _("Government")
    SUPPORT = "support", _("Support")


SECTOR_OF_KIND: dict[str, str] = {
    OrganisationKind.SME: Sector.INDUSTRY,
    OrganisationKind.LARGE_ENTERPRISE: Sector.INDUSTRY,
    OrganisationKind.TRADING_FIRM: Sector.INDUSTRY,
    OrganisationKind.UNIVERSITY: Sector.ACADEMIA,
    OrganisationKind.TECHNICAL_COLLEGE: Sector.ACADEMIA,
    OrganisationKind.PUBLIC_RESEARCH: Sector.ACADEMIA,
    OrganisationKind.LOCAL_GOVERNMENT: Sector.GOVERNMENT,
    OrganisationKind.MINISTRY: Sector.GOVERNMENT,
    OrganisationKind.INCUBATOR: Sector.SUPPORT,
    OrganisationKind.FINANCIAL: Sector.SUPPORT,
    OrganisationKind.VENTURE_CAPITAL: Sector.SUPPORT,
    OrganisationKind.TLO: Sector.SUPPORT,
    OrganisationKind.SUPPORT_ORG: Sector.SUPPORT,
    OrganisationKind.TESTING_LAB: Sector.SUPPORT,
    OrganisationKind.PROFESSIONAL_FIRM: Sector.SUPPORT,
    OrganisationKind.CHAMBER: Sector.SUPPORT,
    OrganisationKind.FOREIGN_CLUSTER: Sector.SUPPORT,
    OrganisationKind.OTHER: Sector.SUPPORT,
}
