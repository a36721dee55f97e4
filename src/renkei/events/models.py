"""Events (イベント) the clusters hold — exchange meetings, seminars, symposia, business matching,
exhibitions, results presentations — with their time slots and tables for 1:1 meetings, and the
registrations of participants and visitors, their waiting list and their attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renkei.core.models import TimeStampedModel
from renkei.directory.models import Person
from renkei.events.choices import EventKind, EventLanguage, EventStatus, RegistrationStatus
from renkei.programs.models import Cluster


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
