from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    """The kinds of gathering the cluster programmes held (交流会, セミナー, シンポジウム, …)."""

    EXCHANGE_MEETING = "exchange_meeting", _("Exchange meeting")
    SEMINAR = "seminar", _("Seminar")
    SYMPOSIUM = "symposium", _("Symposium")
    BUSINESS_MATCHING = "business_matching", _("Business matching")
    EXHIBITION = "exhibition", _("Exhibition")
    RESULTS_PRESENTATION = "results_presentation", _("Results presentation")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class EventLanguage(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")
    BOTH = "ja_en", _("Japanese and English")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")
