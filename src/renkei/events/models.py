"""Events (イベント) the clusters hold — exchange meetings, seminars, symposia, business matching,
exhibitions, results presentations — with their time slots and tables for 1:1 meetings, and the
registrations of participants and visitors, their waiting list and their attendance."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renkei.core.models import TechField, TimeStampedModel
from renkei.directory.models import Person
from renkei.events.choices import (
    EventKind,
    EventLanguage,
    EventStatus,
    FollowUpAnswer,
    MailState,
    MeetingRequestStatus,
    MeetingStatus,
    MissedBy,
    RegistrationMailKind,
    RegistrationStatus,
    RequestMode,
    SchedulingMode,
)
from renkei.programs.models import Cluster

KEYWORD_SPLIT = re.compile(r"[,、，;；\n]+")


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


class Event(TimeStampedModel):
    """An event run by the HQ of one or more clusters. Published events appear on the public
    calendar; drafts are seen only by the clusters' staff."""

    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    clusters = models.ManyToManyField(Cluster, related_name="events", verbose_name=_("clusters"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online URL"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Confirmed seats; further registrations join the waiting list. Empty: no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: open until the event starts.")
    )
    language = models.CharField(_("languages"), max_length=8, choices=EventLanguage.choices, default="ja")
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)
    # Business matching only: how meeting requests are answered and how meetings get a slot.
    request_mode = models.CharField(
        _("meeting requests"), max_length=16, choices=RequestMode.choices, default=RequestMode.ACCEPT
    )
    scheduling_mode = models.CharField(
        _("meeting scheduling"), max_length=16, choices=SchedulingMode.choices, default=SchedulingMode.ORGANISER
    )
    followup_survey_months = models.PositiveSmallIntegerField(
        _("follow-up survey after (months)"),
        default=6,
        validators=[MaxValueValidator(36)],
        help_text=_(
            "Months after the event when both sides of each held meeting are asked where it led. 0: no survey."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=~Q(title_ja="") | ~Q(title_en=""), name="event_has_a_title"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=~Q(venue="") | ~Q(online_url=""), name="event_has_a_place"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if _english():
            return self.title_en or self.title_ja
        return self.title_ja or self.title_en

    @property
    def description(self) -> str:
        if _english():
            return self.description_en or self.description_ja
        return self.description_ja or self.description_en

    @property
    def closes_at(self):
        """When registration closes: the deadline, or the start of the event."""
        return self.registration_deadline or self.starts_at

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if not (self.title_ja or self.title_en):
            errors["title_ja"] = _("Give the title in Japanese or English.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if not (self.venue or self.online_url):
            errors["venue"] = _("Give a venue or an online URL.")
        if self.registration_deadline and self.ends_at and self.registration_deadline > self.ends_at:
            errors["registration_deadline"] = _("The registration deadline cannot be after the event ends.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])


class TimeSlot(TimeStampedModel):
    """A time slot of an event (for business matching: one round of 1:1 meetings)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_slots", verbose_name=_("event"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="timeslot_ends_after_start"),
            models.UniqueConstraint(fields=["event", "starts_at"], name="timeslot_unique_event_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The slot must end after it starts.")})
        if self.event_id and self.starts_at and self.ends_at:
            event = self.event
            if self.starts_at < event.starts_at or self.ends_at > event.ends_at:
                raise ValidationError({"starts_at": _("The slot must lie within the event's start and end.")})


class Table(TimeStampedModel):
    """A table or room where meetings of a business-matching event take place."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Meetings the table holds at the same time."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="table_unique_event_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="table_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Registration(TimeStampedModel):
    """One person's registration (参加申込) for an event: a signed-in participant's person record,
    or a visitor's name, e-mail and organisation given on the public form. Confirmed registrations
    hold a seat; waitlisted ones move up, first in line first, when a seat is freed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    visitor_name = models.CharField(_("name"), max_length=200, blank=True)
    visitor_email = models.EmailField(_("e-mail"), blank=True)
    visitor_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    consent_to_data_use = models.BooleanField(_("consent to the use of my data"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    language = models.CharField(
        _("language for mails"),
        max_length=8,
        blank=True,
        help_text=_("The language the registrant used when registering; empty: the event's language."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | (~Q(visitor_name="") & ~Q(visitor_email="")),
                name="registration_names_someone",
            ),
            # One live registration per person or e-mail and event; a cancelled one may be renewed.
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="registration_unique_live_person",
            ),
            models.UniqueConstraint(
                fields=["event", "visitor_email"],
                condition=Q(person__isnull=True) & ~Q(status="cancelled"),
                name="registration_unique_live_visitor_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} @ {self.event}"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.visitor_name

    @property
    def email(self) -> str:
        return self.person.email if self.person_id else self.visitor_email

    @property
    def organisation_label(self) -> str:
        return self.visitor_organisation


# --- business matching: marketplace, meeting requests, meetings ------------------------------


class MarketplaceProfile(TimeStampedModel):
    """A participant's page in an event's marketplace (商談会の出展・参加者情報): what they offer,
    what they look for, their fields and keywords, and the language they can meet in. One per
    registration; other confirmed participants of the event read it to choose whom to meet."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="marketplace_profile",
        verbose_name=_("registration"),
    )
    offer = models.TextField(_("what we offer"), blank=True)
    looking_for = models.TextField(_("what we look for"), blank=True)
    fields = models.ManyToManyField(TechField, blank=True, related_name="+", verbose_name=_("fields"))
    keywords = models.CharField(_("keywords"), max_length=500, blank=True, help_text=_("Separated by commas or 、."))
    language = models.CharField(
        _("meeting language"), max_length=8, choices=EventLanguage.choices, default=EventLanguage.JAPANESE
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["registration__event", "registration__created_at", "pk"]
        verbose_name = _("marketplace profile")
        verbose_name_plural = _("marketplace profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(offer="") | ~Q(looking_for=""), name="marketplaceprofile_offers_or_looks_for"
            ),
        ]

    def __str__(self) -> str:
        return str(self.registration)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in KEYWORD_SPLIT.split(self.keywords) if word.strip()]

    def clean(self) -> None:
        if not (self.offer.strip() or self.looking_for.strip()):
            raise ValidationError({"offer": _("Say what you offer or what you look for.")})


class Availability(TimeStampedModel):
    """A time slot of the event at which a registered participant can meet. A participant who
    states no slot at all counts as available throughout the event."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="availability", verbose_name=_("registration")
    )
    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="availability", verbose_name=_("slot"))

    class Meta:
        ordering = ["registration", "slot__starts_at"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(fields=["registration", "slot"], name="availability_unique_registration_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.display_name} @ {self.slot}"

    def clean(self) -> None:
        if self.registration_id and self.slot_id and self.registration.event_id != self.slot.event_id:
            raise ValidationError({"slot": _("The slot belongs to another event.")})


class MeetingRequest(TimeStampedModel):
    """A request (商談申込) for one 1:1 meeting at a business-matching event: the requester and the
    other side (one or more registrations, since colleagues may join). The other side accepts or
    declines, unless the event accepts requests automatically. Mutual interest (both sides asked
    for the meeting) and the matcher's rank of the other side give the scheduler its priority."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests", verbose_name=_("event"))
    requester = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="sent_meeting_requests",
        verbose_name=_("requester"),
    )
    recipients = models.ManyToManyField(Registration, related_name="received_meeting_requests", verbose_name=_("with"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.PENDING,
        db_index=True,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    mutual_interest = models.BooleanField(
        _("mutual interest"), default=False, help_text=_("Both sides asked for this meeting.")
    )
    matcher_rank = models.PositiveIntegerField(
        _("matcher rank"),
        null=True,
        blank=True,
        help_text=_("Where the matching engine ranked the other side for the requester (1 = first)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "-created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="declined") | Q(decline_reason=""), name="meetingrequest_reason_only_if_declined"
            ),
            models.CheckConstraint(
                condition=Q(matcher_rank__isnull=True) | Q(matcher_rank__gte=1), name="meetingrequest_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester.display_name} → {', '.join(r.display_name for r in self.recipients.all())}"

    @property
    def priority(self) -> int:
        """The scheduler's weight: 1, plus 3 for mutual interest, plus 2 for one of the matcher's
        first three suggestions or 1 for one of its first ten."""
        weight = 1
        if self.mutual_interest:
            weight += 3
        if self.matcher_rank is not None:
            weight += 2 if self.matcher_rank <= 3 else 1 if self.matcher_rank <= 10 else 0
        return weight


class Meeting(TimeStampedModel):
    """An accepted request placed at a time slot and a table (商談). The organiser's scheduler or
    the participants' own booking places it; announced meetings are what participants see on
    their agenda and are kept in place when the schedule is run again."""

    request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("meeting request")
    )
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot"))
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table"))
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, db_index=True
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    # After the event (events.outcomes): which side did not turn up to a no-show meeting.
    missed_by = models.CharField(_("missed by"), max_length=16, choices=MissedBy.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["slot__starts_at", "table__name", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # A request has at most one meeting that is not cancelled.
            models.UniqueConstraint(
                fields=["request"], condition=~Q(status="cancelled"), name="meeting_unique_live_request"
            ),
            models.CheckConstraint(
                condition=Q(missed_by="") | Q(status="no_show"), name="meeting_missed_by_only_if_no_show"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} {self.table}"

    @property
    def event(self) -> Event:
        return self.slot.event

    def clean(self) -> None:
        if self.slot_id and self.table_id and self.slot.event_id != self.table.event_id:
            raise ValidationError({"table": _("The table belongs to another event.")})
        if self.request_id and self.slot_id and self.request.event_id != self.slot.event_id:
            raise ValidationError({"slot": _("The slot belongs to another event.")})


# --- mails to registrants and the follow-up survey --------------------------------------------


class RegistrationMail(models.Model):
    """One mail to a registrant about their registration (confirmation, waiting list, promotion,
    cancellation, reminder). The row is written with the change that calls for the mail, so a
    mail the server refused stays pending and `renkei send-event-reminders` sends it later; each
    kind goes at most once to a registration."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="mails", verbose_name=_("registration")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RegistrationMailKind.choices)
    # Schedule mails go once per announcement round that changed the registrant's meetings:
    # `sequence` counts them (1, 2, …; 0 for every other kind) and `schedule_key` fingerprints
    # the meetings the mail is about, so the next round can tell whether anything changed.
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    schedule_key = models.CharField(_("schedule fingerprint"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=MailState.choices, default=MailState.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["registration", "created_at", "pk"]
        verbose_name = _("registration mail")
        verbose_name_plural = _("registration mails")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "sequence"], name="registrationmail_once_per_kind_sequence"
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False) | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="registrationmail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.registration}"


class MeetingOutcome(TimeStampedModel):
    """One participant's answer to the follow-up survey (フォローアップ調査) about a held meeting:
    where it led, some months after the event. The survey link carries `token`, which opens this
    answer and nothing else; the answer may be changed until `editable_until`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting"))
    respondent = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_outcomes", verbose_name=_("respondent")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    answer = models.CharField(_("where it led"), max_length=16, choices=FollowUpAnswer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    sent_at = models.DateTimeField(_("survey sent at"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    editable_until = models.DateTimeField(_("answers accepted until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "respondent", "pk"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "respondent"], name="meetingoutcome_once_per_respondent"),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answered_at__isnull=False), name="meetingoutcome_answer_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent.display_name}: {self.meeting}"


class FollowUpIntention(TimeStampedModel):
    """What a participant said right after a held meeting: whether they want to follow it up
    (フォローアップ希望), with a short note. A "yes" becomes a follow-up in the coordinators' CRM
    (`interaction`, one per side of the meeting, shared by colleagues on the same side); the
    participant sees only their own answer and note, never the CRM record."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="followup_intentions", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="followup_intentions", verbose_name=_("participant")
    )
    wants_follow_up = models.BooleanField(_("wants to follow up"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    interaction = models.ForeignKey(
        "brokerage.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("CRM follow-up"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "registration", "pk"]
        verbose_name = _("follow-up intention")
        verbose_name_plural = _("follow-up intentions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="followupintention_once_per_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.display_name}: {self.meeting}"
