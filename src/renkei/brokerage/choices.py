from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InteractionKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    VISIT = "visit", _("Company visit / dispatch")
    CALL = "call", _("Call")
    INTRODUCTION = "introduction", _("Introduction")
    MEETING = "meeting", _("Meeting")
    NDA_SIGNED = "nda_signed", _("NDA signed")
    JOINT_RESEARCH_AGREED = "joint_research_agreed", _("Joint research agreed")


class IntroductionStage(models.TextChoices):
    """The pipeline of an introduction, in order; CLOSED ends it without success."""

    INTRODUCED = "introduced", _("Introduced")
    MET = "met", _("Met")
    NDA = "nda", _("NDA")
    JOINT_RESEARCH = "joint_research", _("Joint research")
    COMMERCIALISED = "commercialised", _("Commercialised")
    CLOSED = "closed", pgettext_lazy("introduction stage", "Closed")


# The forward order of the open stages; CLOSED stands outside it.
PIPELINE = [
    IntroductionStage.INTRODUCED,
    IntroductionStage.MET,
    IntroductionStage.NDA,
    IntroductionStage.JOINT_RESEARCH,
    IntroductionStage.COMMERCIALISED,
]
