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


class RequestMode(models.TextChoices):
    """Whether a meeting request waits for the other side's answer."""

    ACCEPT = "accept", _("The other side must accept")
    AUTOMATIC = "automatic", _("Requests are accepted automatically")


class SchedulingMode(models.TextChoices):
    """Who places accepted meetings into time slots and at tables."""

    ORGANISER = "organiser", _("The organiser schedules all accepted meetings")
    SELF_BOOKING = "self_booking", _("Participants book a free common slot themselves")


class MeetingRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", pgettext_lazy("meeting request status", "Cancelled")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")
    NO_SHOW = "no_show", _("No-show")


class RegistrationMailKind(models.TextChoices):
    """The mails a registrant gets about one registration, each at most once."""

    CONFIRMATION = "confirmation", _("Registration confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTION = "promotion", _("Moved up from the waiting list")
    CANCELLATION = "cancellation", _("Registration cancelled")
    REMINDER = "reminder", _("Reminder before the event")
    SCHEDULE = "schedule", _("Meeting schedule announced")


class MissedBy(models.TextChoices):
    """Which side of a meeting did not turn up (a no-show): the requester, the other side, or both."""

    REQUESTER = "requester", _("The requester")
    OTHER_SIDE = "other_side", _("The other side")
    BOTH = "both", _("Both sides")


class MailState(models.TextChoices):
    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent")
    DROPPED = "dropped", _("No longer needed")


class FollowUpAnswer(models.TextChoices):
    """Where a business meeting led, as its participants say some months later (in order)."""

    NO_FURTHER_CONTACT = "no_contact", _("No further contact")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    NEGOTIATING = "negotiating", _("Negotiating")
    AGREEMENT = "agreement", _("Agreement reached")
    JOINT_PROJECT = "joint_project", _("Joint project started")
