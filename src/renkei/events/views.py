"""Pages of events: the public calendar, an event's page with registration, the forms HQ staff
use to create and edit events, slots and tables, and the check-in desk. Records are fetched
through events.access and written only through events.services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renkei.accounts.scope import scope_for
from renkei.accounts.throttle import client_address
from renkei.core.access import page_access, signed_in_page
from renkei.core.display import field_rows, period_text
from renkei.core.history import history_of
from renkei.core.listing import Column, RecordListView
from renkei.core.text import normalise_for_search
from renkei.events import access, checkin, services, spam
from renkei.events.choices import EventStatus, RegistrationStatus
from renkei.events.forms import EventForm, TableForm, TimeSlotForm, VisitorRegistrationForm
from renkei.events.models import Event, Registration, Table, TimeSlot


def _when(event: Event) -> str:
    return period_text(event.starts_at, event.ends_at)


def _status_badge(event: Event) -> str | None:
    return None if event.status == EventStatus.PUBLISHED else str(event.get_status_display())


class EventListView(RecordListView):
    """The event calendar: upcoming events first; `?past=1` shows past ones."""

    title = _("Events")
    export_name = "events"
    create_url_name = "events:event_create"
    default_sort = "when"
    columns = [
        Column("title", _("Title"), lambda e: e.title, sort="title_ja", link=True, badge=_status_badge),
        Column("kind", _("Kind"), lambda e: e.get_kind_display(), sort="kind"),
        Column("when", _("When"), _when, sort="starts_at"),
        Column("place", _("Venue"), lambda e: e.venue or str(_("Online"))),
        Column("clusters", _("Clusters"), lambda e: ", ".join(c.name for c in e.clusters.all())),
    ]

    def get_queryset(self) -> QuerySet[Event]:
        events = access.visible_events(self.request.user)
        if self.request.GET.get("past"):
            return events.filter(ends_at__lt=timezone.now())
        return events.filter(ends_at__gte=timezone.now())

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("clusters")

    def can_create(self) -> bool:
        return access.can_create_events(self.request.user)


event_list = EventListView.as_view()


def _counts(event: Event) -> dict[str, int]:
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = access.access_event(user, pk)
    scope = scope_for(user)
    counts = _counts(event)
    own = None
    if scope.own_person_id is not None:
        own = (
            Registration.objects.filter(event=event, person_id=scope.own_person_id)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
    is_open = event.status == EventStatus.PUBLISHED and timezone.now() < event.closes_at
    staff = access.can_read_registrations(user, event)
    context = {
        "event": event,
        "when": _when(event),
        "rows": field_rows(event, ["kind", "venue", "online_url", "capacity", "registration_deadline", "language"]),
        "clusters": list(event.clusters.all()),
        "time_slots": list(event.time_slots.all()),
        "tables": list(event.tables.all()),
        "counts": counts,
        "seats_left": None if event.capacity is None else max(event.capacity - counts["confirmed"], 0),
        "is_open": is_open,
        "own_registration": own,
        "can_register_in_one_step": scope.own_person_id is not None,
        "can_edit": access.can_edit_event(user, event),
        "can_check_in": access.can_run_check_in(user, event),
        "registrations": (
            list(access.visible_registrations(user, event).select_related("person").order_by("status", "created_at"))
            if staff
            else None
        ),
        "history": history_of(event) if staff else None,
    }
    return render(request, "events/event_detail.html", context)


def _form_page(request: HttpRequest, form, title, cancel_url: str) -> HttpResponse:
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


def _save_event(request: HttpRequest, form: EventForm) -> Event | None:
    creating = form.instance.pk is None
    try:
        return services.do_save_event(request.user, form.instance, clusters=form.cleaned_data["clusters"])
    except ValidationError as error:
        if creating:
            form.instance.pk = None
        form.add_service_error(error)
        return None


@page_access(allow=access.can_create_events)
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = _save_event(request, form)
        if event is not None:
            messages.success(request, _("The event was added."))
            return redirect(event)
    return _form_page(request, form, _("Add an event"), reverse("events:event_list"))


def _editable_event(request: HttpRequest, pk: int) -> Event:
    event = access.access_event(request.user, pk)
    if not access.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


@signed_in_page
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_event(request, form) is not None:
        messages.success(request, _("The event was saved."))
        return redirect(event)
    return _form_page(request, form, _("Edit %(title)s") % {"title": event.title}, event.get_absolute_url())


def _child_form(request: HttpRequest, event: Event, form, save, message, title) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(request.user, form.instance)
        except ValidationError as error:
            form.instance.pk = None
            form.add_service_error(error)
        else:
            messages.success(request, message)
            return redirect(event)
    return _form_page(request, form, title, event.get_absolute_url())


@signed_in_page
def time_slot_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    form = TimeSlotForm(request.POST or None, instance=TimeSlot(event=event))
    title = _("Add a time slot to %(title)s") % {"title": event.title}
    return _child_form(request, event, form, services.do_save_time_slot, _("The time slot was added."), title)


@signed_in_page
def table_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    form = TableForm(request.POST or None, instance=Table(event=event))
    title = _("Add a table to %(title)s") % {"title": event.title}
    return _child_form(request, event, form, services.do_save_table, _("The table was added."), title)


# --- registration -----------------------------------------------------------------------


def _registered_message(request: HttpRequest, registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered for this event."))
    else:
        messages.info(request, _("The event is full: you are on the waiting list and will move up if a seat frees."))


def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Signed-in users with a person record register with one POST; everyone else gets the
    public form with consent to the use of their data."""
    event = access.access_event(request.user, pk)
    if scope_for(request.user).own_person_id is not None:
        if request.method != "POST":
            return redirect(event)
        try:
            registration = services.do_register_person(request.user, event)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            _registered_message(request, registration)
        return redirect(event)
    form = VisitorRegistrationForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and spam.is_rate_limited(address):
        messages.error(request, _("Too many registrations were sent from your network. Please try again later."))
        kept = ("visitor_name", "visitor_email", "visitor_organisation")
        form = VisitorRegistrationForm(initial={name: request.POST.get(name, "") for name in kept})
        return render(request, "events/register.html", {"event": event, "form": form, "when": _when(event)}, status=429)
    if request.method == "POST":
        spam.record_submission(address)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.do_register_visitor(
                event,
                name=data["visitor_name"],
                email=data["visitor_email"],
                organisation=data["visitor_organisation"],
                consent=data["consent_to_data_use"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            _registered_message(request, registration)
            return redirect(event)
    if form.is_bound:
        form.refresh_stamp_if_refused()
    return render(request, "events/register.html", {"event": event, "form": form, "when": _when(event)})


@require_POST
@signed_in_page
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.access_registration(request.user, pk)
    if not access.can_cancel_registration(request.user, registration):
        raise PermissionDenied
    try:
        services.do_cancel_registration(request.user, registration)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The registration was cancelled."))
    return redirect(registration.event)


# --- check-in ---------------------------------------------------------------------------


def _search_registrations(queryset: QuerySet[Registration], query: str) -> list[Registration]:
    """Registrations whose name (Japanese, kana or English), e-mail or organisation contains the
    query, compared after the same normalisation as the rest of the search."""
    rows = list(queryset.select_related("person").order_by("created_at", "pk"))
    needle = normalise_for_search(query)
    if not needle:
        return rows
    found = []
    for row in rows:
        person = row.person
        haystack = normalise_for_search(
            row.visitor_name,
            row.visitor_email,
            row.visitor_organisation,
            *((person.name_ja, person.name_en, person.name_kana, person.email) if person is not None else ()),
        )
        if needle in haystack or needle.replace(" ", "") in haystack.replace(" ", ""):
            found.append(row)
    return found


@signed_in_page
def event_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk)
    access.check_can_run_check_in(request.user, event)
    if request.method == "POST" and "code" in request.POST:
        _check_in_code(request, event, request.POST["code"])
        return redirect("events:event_check_in", pk=event.pk)
    if request.method == "POST":
        registration = Registration.objects.filter(event=event, pk=request.POST.get("registration")).first()
        if registration is None:
            messages.error(request, _("No such registration for this event."))
        else:
            try:
                services.do_check_in(request.user, registration)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration.display_name})
        query = request.POST.get("q", "")
        target = reverse("events:event_check_in", args=[event.pk])
        return redirect(f"{target}?{urlencode({'q': query})}" if query else target)
    query = request.GET.get("q", "").strip()
    context = {
        "event": event,
        "when": _when(event),
        "query": query,
        "registrations": _search_registrations(Registration.objects.filter(event=event), query),
        "counts": _counts(event),
    }
    return render(request, "events/check_in.html", context)


def _check_in_code(request: HttpRequest, event: Event, code: str) -> Registration | None:
    """Check in by a scanned or pasted code, telling staff the outcome as a message."""
    try:
        registration = checkin.do_check_in_by_code(request.user, event, code)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return None
    messages.success(request, _("%(name)s is checked in.") % {"name": registration.display_name})
    return registration


@signed_in_page
def check_in_code(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The address in a registration's QR code. Staff who open it (a phone camera) see whose
    code it is and check them in with one press; others are sent to sign in or refused."""
    event = access.access_event(request.user, pk)
    access.check_can_run_check_in(request.user, event)
    if request.method == "POST":
        _check_in_code(request, event, token)
        return redirect("events:event_check_in", pk=event.pk)
    registration, problem = None, None
    try:
        registration = checkin.registration_for_token(event, token)
    except ValidationError as error:
        problem = " ".join(error.messages)
    if registration is not None and problem is None:
        if registration.status == RegistrationStatus.CANCELLED:
            problem = _("This registration was cancelled; it cannot be checked in.")
        elif registration.status == RegistrationStatus.WAITLISTED:
            problem = _("This registration is still on the waiting list; it cannot be checked in.")
    context = {"event": event, "when": _when(event), "registration": registration, "problem": problem}
    return render(request, "events/check_in_code.html", context, status=200 if problem is None else 400)


@signed_in_page
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A registration's own page: its status and, once confirmed, the QR code for check-in."""
    registration = access.access_registration(request.user, pk)
    event = registration.event
    show_code = registration.status == RegistrationStatus.CONFIRMED and registration.checked_in_at is None
    context = {
        "registration": registration,
        "event": event,
        "when": _when(event),
        "qr_svg": checkin.qr_svg(registration) if show_code else None,
        "can_cancel": registration.status != RegistrationStatus.CANCELLED
        and access.can_cancel_registration(request.user, registration),
    }
    return render(request, "events/registration_detail.html", context)
