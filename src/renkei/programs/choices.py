from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ministry(models.TextChoices):
    METI = "meti", _("METI (Ministry of Economy, Trade and Industry)")
    MEXT = "mext", _("MEXT (Ministry of Education, Culture, Sports, Science and Technology)")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CORE = "core", _("Core member")
    PROMOTION_ORG = "promotion_org", _("Promotion organisation (HQ)")
    RESEARCH = "research", _("Research participant")
    SUPPORTER = "supporter", _("Supporter")
    OBSERVER = "observer", _("Observer")


class PositionKind(models.TextChoices):
    PRESIDENT = "president", _("President")
    PROGRAM_DIRECTOR = "program_director", _("Program Director")
    RESEARCH_DIRECTOR = "research_director", _("Research Director")
    COORDINATOR = "coordinator", _("Coordinator")
    INCUBATION_MANAGER = "incubation_manager", _("Incubation manager")
    ADVISER = "adviser", _("Adviser")


class BudgetSource(models.TextChoices):
    NATIONAL = "national", _("National government")
    LOCAL = "local", _("Local government")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", _("Other")
