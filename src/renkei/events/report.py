"""The event report (イベント実施報告): registrations, attendance rate, meeting requests
(requested / accepted) and meetings (placed / held), in total, by organisation kind and by
technology field, and where held meetings led according to the follow-up survey.

Groups: a registration belongs to the kind of its person's primary organisation (visitors, and
people without an organisation in the directory, form a group of their own), and to the fields
of its marketplace profile, else those of its organisation; a registration in several fields
counts in each. A request or meeting counts once in every group one of its participants is in.

The HQ staff of the event's clusters and national officers (read only) see the report; the
figures are of the whole event, so nobody else does."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from renkei.accounts.scope import scope_for
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation
from renkei.events import access
from renkei.events.choices import FollowUpAnswer, MeetingRequestStatus, MeetingStatus, RegistrationStatus
from renkei.events.marketplace import LIVE_MEETING
from renkei.events.models import Event, Meeting, MeetingOutcome, MeetingRequest, Registration

UNKNOWN_KEY = "unknown"
NO_FIELD_KEY = "none"


def can_see_report(user, event: Event) -> bool:
    return scope_for(user).reads_all or access.can_organise_meetings(user, event)


@dataclass
class ReportRow:
    """The figures of one group (or of the whole event)."""

    key: str
    label: str
    registrations: int = 0  # confirmed or waitlisted
    confirmed: int = 0
    attended: int = 0
    requested: int = 0  # meeting requests sent, whatever became of them
    accepted: int = 0  # accepted (and not cancelled since)
    placed: int = 0  # meetings with a slot and table
    held: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """Attended as a share of confirmed registrations, in percent."""
        return round(100 * self.attended / self.confirmed, 1) if self.confirmed else None

    @property
    def acceptance_rate(self) -> float | None:
        return round(100 * self.accepted / self.requested, 1) if self.requested else None


@dataclass
class EventReport:
    event: Event
    total: ReportRow
    cancelled_registrations: int
    waitlisted: int
    declined: int
    pending: int
    by_kind: list[ReportRow]
    by_field: list[ReportRow]
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)  # (answer, label, count)
    outcomes_unanswered: int = 0


def _groups(registrations: list[Registration]) -> tuple[dict[int, tuple[str, str]], dict[int, list[tuple[str, str]]]]:
    """Registration pk → its (kind key, label), and → its [(field key, label)]."""
    person_ids = {r.person_id for r in registrations if r.person_id}
    organisations: dict[int, object] = {}
    for affiliation in Affiliation.objects.filter(person_id__in=person_ids).select_related("organisation"):
        organisations.setdefault(affiliation.person_id, affiliation.organisation)  # primary first
    organisation_fields: dict[int, list] = defaultdict(list)
    tagged = Organisation.fields.through.objects.filter(organisation_id__in={o.pk for o in organisations.values()})
    for row in tagged.select_related("techfield"):
        organisation_fields[row.organisation_id].append(row.techfield)
    kinds: dict[int, tuple[str, str]] = {}
    fields: dict[int, list[tuple[str, str]]] = {}
    for registration in registrations:
        organisation = organisations.get(registration.person_id) if registration.person_id else None
        if organisation is not None:
            kinds[registration.pk] = (organisation.kind, str(organisation.get_kind_display()))
        else:
            kinds[registration.pk] = (UNKNOWN_KEY, _("Organisation not in the directory"))
        profile = getattr(registration, "marketplace_profile", None)
        chosen = list(profile.fields.all()) if profile is not None else []
        if not chosen and organisation is not None:
            chosen = organisation_fields.get(organisation.pk, [])
        fields[registration.pk] = [(f.code, f.name) for f in chosen] or [(NO_FIELD_KEY, _("No field"))]
    return kinds, fields


def _ordered(rows: dict[str, ReportRow], order: list[str]) -> list[ReportRow]:
    position = {key: i for i, key in enumerate(order)}
    return sorted(rows.values(), key=lambda row: (position.get(row.key, len(order)), row.label))


def compute_report(event: Event) -> EventReport:
    """Every figure in a handful of queries; the grouping runs in Python over the event's rows."""
    registrations = list(
        Registration.objects.filter(event=event)
        .select_related("marketplace_profile", "person")
        .prefetch_related("marketplace_profile__fields")
    )
    live = [r for r in registrations if r.status != RegistrationStatus.CANCELLED]
    kinds, fields = _groups(live)
    requests = list(MeetingRequest.objects.filter(event=event).prefetch_related("recipients"))
    meetings = list(Meeting.objects.filter(request__event=event, status__in=LIVE_MEETING))

    total = ReportRow(key="total", label=_("All participants"))
    by_kind: dict[str, ReportRow] = {}
    by_field: dict[str, ReportRow] = {}

    def groups_of(pks: set[int]) -> list[ReportRow]:
        rows: dict[int, ReportRow] = {}
        for pk in pks:
            if pk in kinds:
                key, label = kinds[pk]
                row = by_kind.setdefault(key, ReportRow(key=key, label=label))
                rows[id(row)] = row
            for key, label in fields.get(pk, []):
                row = by_field.setdefault(key, ReportRow(key=key, label=label))
                rows[id(row)] = row
        return [total, *rows.values()]

    for registration in live:
        for row in groups_of({registration.pk}):
            row.registrations += 1
            if registration.status == RegistrationStatus.CONFIRMED:
                row.confirmed += 1
            if registration.checked_in_at is not None:
                row.attended += 1
    participants = {r.pk: {r.requester_id, *(x.pk for x in r.recipients.all())} for r in requests}
    for request in requests:
        rows = groups_of(participants[request.pk])
        for row in rows:
            row.requested += 1
            if request.status == MeetingRequestStatus.ACCEPTED:
                row.accepted += 1
    for meeting in meetings:
        for row in groups_of(participants.get(meeting.request_id, set())):
            row.placed += 1
            if meeting.status == MeetingStatus.HELD:
                row.held += 1

    statuses = Counter(r.status for r in requests)
    answers = Counter(
        MeetingOutcome.objects.filter(meeting__request__event=event).values_list("answer", flat=True).iterator()
    )
    return EventReport(
        event=event,
        total=total,
        cancelled_registrations=sum(1 for r in registrations if r.status == RegistrationStatus.CANCELLED),
        waitlisted=sum(1 for r in live if r.status == RegistrationStatus.WAITLISTED),
        declined=statuses[MeetingRequestStatus.DECLINED],
        pending=statuses[MeetingRequestStatus.PENDING],
        by_kind=_ordered(by_kind, [*OrganisationKind.values, UNKNOWN_KEY]),
        by_field=sorted(by_field.values(), key=lambda row: (row.key == NO_FIELD_KEY, row.label)),
        outcomes=[(answer.value, str(answer.label), answers[answer.value]) for answer in FollowUpAnswer],
        outcomes_unanswered=answers[""],
    )


# --- export and charts ---------------------------------------------------------------------


def report_table(report: EventReport) -> tuple[list[str], list[list[object]]]:
    """The report as one table for CSV/Excel: the total, then each kind, then each field."""
    header = [
        _("Group"),
        _("Name"),
        _("Registrations"),
        _("Confirmed"),
        _("Attended"),
        _("Attendance rate (%)"),
        _("Meetings requested"),
        _("Accepted"),
        _("Meetings placed"),
        _("Meetings held"),
    ]

    def line(group: str, row: ReportRow) -> list[object]:
        rate = row.attendance_rate
        return [
            group,
            row.label,
            row.registrations,
            row.confirmed,
            row.attended,
            "" if rate is None else rate,
            row.requested,
            row.accepted,
            row.placed,
            row.held,
        ]

    rows = [line(_("Total"), report.total)]
    rows += [line(_("Organisation kind"), row) for row in report.by_kind]
    rows += [line(_("Technology field"), row) for row in report.by_field]
    return [str(h) for h in header], rows


def grouped_chart(rows: list[ReportRow], div_id: str, series: list[tuple[str, str]]) -> str:
    """Grouped bars, one group per row, one bar per (attribute, label) in `series`; plotly.js is
    loaded by the page from our own static files."""
    if not rows:
        return ""
    import plotly.graph_objects as go

    figure = go.Figure()
    labels = [row.label for row in rows]
    for attribute, name in series:
        figure.add_bar(name=name, x=labels, y=[getattr(row, attribute) for row in rows])
    figure.update_layout(
        barmode="group",
        template="plotly_white",
        height=340,
        margin={"l": 50, "r": 20, "t": 20, "b": 90},
        legend={"orientation": "h"},
    )
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id=div_id, config={"responsive": True})
