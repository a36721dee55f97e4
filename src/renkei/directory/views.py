"""Pages of the directory: lists, detail pages and the forms that change organisations, people
and affiliations. Records are fetched only through directory.access and written only through
the services, which check the permission again."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renkei.core.access import page_access, signed_in_page
from renkei.core.display import field_rows
from renkei.core.history import history_of
from renkei.core.listing import Column, RecordListView
from renkei.core.models import Visibility
from renkei.directory import access, services
from renkei.directory.filters import OrganisationFilterSet, PersonFilterSet
from renkei.directory.forms import (
    AffiliationForm,
    OrganisationForm,
    PersonContactForm,
    PersonForm,
    attach_errors,
    current_municipalities,
)
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.imports import access as imports_access
from renkei.programs import access as programs_access
from renkei.programs.models import Membership
from renkei.programs.services import do_create_member_organisation


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def _names(items) -> str:
    """Distinct names in order, joined for a table cell or an export column."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(str(item.name), None)
    return ", ".join(seen)


# --- lists ------------------------------------------------------------------------------


def _organisation_clusters(organisation: Organisation) -> str:
    return _names(m.cluster for m in organisation.memberships.all())


class OrganisationListView(RecordListView):
    filterset_class = OrganisationFilterSet
    title = _("Organisations")
    export_name = "organisations"
    create_url_name = "directory:organisation_create"
    default_sort = "name"
    columns = [
        Column(
            "name",
            _("Name"),
            lambda o: o.name,
            sort="sort_name",
            link=True,
            badge=lambda o: str(_("generated")) if o.is_generated else None,
        ),
        Column("kind", _("Kind"), lambda o: o.get_kind_display(), sort="kind"),
        Column("prefecture", _("Prefecture"), lambda o: o.prefecture.name if o.prefecture else "", sort="prefecture"),
        Column("industry", _("Industry (JSIC)"), lambda o: o.industry or "", sort="industry__code"),
        Column("fields", _("Fields"), lambda o: _names(o.fields.all())),
        Column("employees", _("Employees"), lambda o: o.employees, sort="employees"),
        Column("clusters", _("Clusters"), _organisation_clusters),
    ]

    def get_queryset(self) -> QuerySet[Organisation]:
        # Japanese lists sort by reading (五十音順); English ones by the English name.
        if _english():
            sort_name = Coalesce(NullIf(F("name_en"), Value("")), F("name_ja"))
        else:
            sort_name = Coalesce(NullIf(F("name_kana"), Value("")), NullIf(F("name_ja"), Value("")), F("name_en"))
        return access.visible_organisations(self.request.user).annotate(sort_name=sort_name)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("prefecture", "industry").prefetch_related(
            "fields", Prefetch("memberships", queryset=Membership.objects.select_related("cluster"))
        )

    def can_create(self) -> bool:
        return access.can_create_organisation(self.request.user)


def _current_affiliation(person: Person) -> Affiliation | None:
    """The affiliation a list shows: primary and current first (the prefetch is ordered so)."""
    affiliations = list(person.affiliations.all())
    today = dt.date.today()
    current = [a for a in affiliations if a.end_on is None or a.end_on >= today]
    return (current or affiliations or [None])[0]


def _person_organisation(person: Person) -> str:
    affiliation = _current_affiliation(person)
    return affiliation.organisation.name if affiliation else ""


def _person_title(person: Person) -> str:
    affiliation = _current_affiliation(person)
    return affiliation.title if affiliation else ""


class PersonListView(RecordListView):
    filterset_class = PersonFilterSet
    title = _("People")
    export_name = "people"
    create_url_name = "directory:person_create"
    default_sort = "name"
    columns = [
        Column("name", _("Name"), lambda p: p.name, sort="sort_name", link=True),
        Column("kana", _("Kana"), lambda p: p.name_kana, sort="sort_kana"),
        Column("organisation", _("Organisation"), _person_organisation),
        Column("title", _("Title"), _person_title),
        Column("fields", _("Fields"), lambda p: _names(p.fields.all())),
        Column("keywords", _("Research keywords"), lambda p: p.research_keywords),
    ]

    def get_queryset(self) -> QuerySet[Person]:
        text = CharField()
        kana = Concat("family_name_kana", "given_name_kana", output_field=text)
        if _english():
            sort_name = Concat("family_name_en", "given_name_en", output_field=text)
        else:
            sort_name = Coalesce(
                NullIf(kana, Value("")), Concat("family_name_ja", "given_name_ja", output_field=text), output_field=text
            )
        return access.visible_people(self.request.user).annotate(sort_name=sort_name, sort_kana=kana)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        # Only affiliations at organisations the reader may see: a list must not name a
        # restricted organisation through its staff.
        affiliations = (
            Affiliation.objects.filter(organisation__in=access.visible_organisations(self.request.user))
            .select_related("organisation")
            .order_by("person", "-is_primary", F("start_on").desc(nulls_last=True), "pk")
        )
        return queryset.prefetch_related("fields", Prefetch("affiliations", queryset=affiliations))

    def can_create(self) -> bool:
        return access.can_create_person(self.request.user)


organisation_list = OrganisationListView.as_view()
person_list = PersonListView.as_view()


# --- detail pages -----------------------------------------------------------------------


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = access.access_organisation(user, pk)
    people = access.visible_people(user)
    affiliations = (
        Affiliation.objects.filter(organisation=organisation, person__in=people)
        .select_related("person")
        .order_by("-is_primary", "person__family_name_kana", "person__family_name_en", "pk")
    )
    memberships = (
        programs_access.visible_memberships(user)
        .filter(organisation=organisation)
        .select_related("cluster__programme")
        .order_by("cluster__code", "role")
    )
    positions = (
        programs_access.visible_positions(user)
        .filter(person__affiliations__organisation=organisation)
        .select_related("cluster", "person")
        .distinct()
        .order_by("cluster__code", "kind", "pk")
    )
    context = {
        "organisation": organisation,
        "rows": field_rows(
            organisation,
            [
                "kind",
                "name_ja",
                "name_en",
                "name_kana",
                "corporate_number",
                "postal_code",
                "address",
                "prefecture",
                "municipality",
                "industry",
                "employees",
                "capital_yen",
                "founded_on",
                "website",
                "visibility",
            ],
        ),
        "technology_fields": list(organisation.fields.all()),
        "affiliations": affiliations,
        "memberships": memberships,
        "promoted_clusters": list(organisation.promoted_clusters.select_related("programme")),
        "positions": positions,
        "can_edit": access.can_edit_organisation(user, organisation),
        "history": history_of(organisation) if access.can_see_history(user, organisation) else None,
        "imported_data": _organisation_imported_data(user, organisation),
    }
    return render(request, "directory/organisation_detail.html", context)


def _organisation_imported_data(user, organisation: Organisation) -> list[dict]:
    """Boxes linking to the organisation's KAKEN projects (as institution) and patents (as
    applicant), for the staff roles that may read the imported data pages."""
    if not imports_access.can_read_statistics(user):
        return []
    return _non_empty(
        _imported_data_box(
            "grants",
            _("Grant projects (KAKEN)"),
            "imports:grant_list",
            f"institution={organisation.pk}",
            imports_access.visible_grant_projects(user).filter(institution=organisation),
        ),
        _imported_data_box(
            "patents",
            _("Patents"),
            "imports:patent_list",
            f"organisation={organisation.pk}",
            imports_access.visible_patents(user).filter(applicants__organisation=organisation),
        ),
    )


def _person_imported_data(user, person: Person) -> list[dict]:
    """A box linking to the KAKEN projects the person is a researcher of, for staff roles."""
    if not imports_access.can_read_statistics(user):
        return []
    return _non_empty(
        _imported_data_box(
            "grants",
            _("Grant projects (KAKEN)"),
            "imports:grant_list",
            f"person={person.pk}",
            imports_access.visible_grant_projects(user).filter(members__person=person),
        )
    )


def _imported_data_box(kind: str, title, url_name: str, query: str, records: QuerySet) -> dict | None:
    """A count and a link to the list page filtered by QUERY; None when there is nothing to list."""
    count = records.distinct().count()
    return {"kind": kind, "title": title, "count": count, "url": f"{reverse(url_name)}?{query}"} if count else None


def _non_empty(*boxes: dict | None) -> list[dict]:
    return [box for box in boxes if box]


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = access.access_person(user, pk)
    affiliations = (
        access.visible_affiliations(user)
        .filter(person=person)
        .select_related("organisation")
        .order_by("-is_primary", F("start_on").desc(nulls_last=True), "pk")
    )
    positions = (
        programs_access.visible_positions(user)
        .filter(person=person)
        .select_related("cluster")
        .order_by("cluster__code", "kind", "pk")
    )
    can_edit = access.can_edit_person(user, person)
    context = {
        "person": person,
        "technology_fields": list(person.fields.all()),
        "affiliations": affiliations,
        "positions": positions,
        "can_edit": can_edit,
        "can_edit_contact": not can_edit and access.can_edit_person_contact(user, person),
        "can_see_contact": access.can_see_contact(user, person),
        "history": history_of(person) if access.can_see_history(user, person) else None,
        "imported_data": _person_imported_data(user, person),
    }
    return render(request, "directory/person_detail.html", context)


# --- forms ------------------------------------------------------------------------------


def _forget_unsaved(instance) -> None:
    """After a rolled-back create the instance keeps the pk it was given; drop it so the form
    is shown again as a new record."""
    instance.pk = None
    instance._state.adding = True


def _form_page(request: HttpRequest, form, title, cancel_url: str) -> HttpResponse:
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


@page_access(allow=access.can_create_organisation)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cluster = form.cleaned_data.get("cluster")
        try:
            if cluster is not None:
                organisation = do_create_member_organisation(
                    request.user, form.instance, cluster, fields=form.cleaned_data["fields"]
                )
            else:
                organisation = services.do_save_organisation(
                    request.user, form.instance, fields=form.cleaned_data["fields"]
                )
        except ValidationError as error:
            _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect(organisation)
    return _form_page(request, form, _("Add an organisation"), reverse("directory:organisation_list"))


@signed_in_page
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.access_organisation(request.user, pk)
    if not access.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_organisation(request.user, form.instance, fields=form.cleaned_data["fields"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(organisation)
    title = _("Edit %(name)s") % {"name": organisation.name}
    return _form_page(request, form, title, organisation.get_absolute_url())


@page_access(allow=access.can_create_person)
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {"visibility": Visibility.MEMBERS}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.do_create_person(
                request.user,
                form.instance,
                organisation=data["organisation"],
                fields=data["fields"],
                title_ja=data["title_ja"],
                title_en=data["title_en"],
            )
        except ValidationError as error:
            _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect(person)
    return _form_page(request, form, _("Add a person"), reverse("directory:person_list"))


@signed_in_page
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk)
    if not access.can_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_person(request.user, form.instance, fields=form.cleaned_data["fields"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect(person)
    title = _("Edit %(name)s") % {"name": person.name}
    return _form_page(request, form, title, person.get_absolute_url())


@signed_in_page
def person_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk)
    if not access.can_edit_person_contact(request.user, person):
        raise PermissionDenied
    form = PersonContactForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        contact = {name: form.cleaned_data[name] for name in services.PERSON_CONTACT_FIELDS}
        try:
            services.do_update_person_contact(request.user, person, **contact)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The contact details were saved."))
            return redirect(person)
    title = _("Contact details of %(name)s") % {"name": person.name}
    return _form_page(request, form, title, person.get_absolute_url())


def _access_affiliation(user, pk: int) -> Affiliation:
    affiliation = access.visible_affiliations(user).select_related("person", "organisation").filter(pk=pk).first()
    if affiliation is None:
        raise Http404("No such affiliation")
    return affiliation


@signed_in_page
def affiliation_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk)
    if not access.can_edit_person(request.user, person):
        raise PermissionDenied
    form = AffiliationForm(request.POST or None, instance=Affiliation(person=person), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_affiliation(request.user, form.instance)
        except ValidationError as error:
            _forget_unsaved(form.instance)
            attach_errors(form, error)
        else:
            messages.success(request, _("The affiliation was added."))
            return redirect(person)
    title = _("New affiliation of %(name)s") % {"name": person.name}
    return _form_page(request, form, title, person.get_absolute_url())


@signed_in_page
def affiliation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = _access_affiliation(request.user, pk)
    person = affiliation.person
    if not access.can_edit_person(request.user, person):
        raise PermissionDenied
    form = AffiliationForm(request.POST or None, instance=affiliation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_affiliation(request.user, form.instance)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The affiliation was saved."))
            return redirect(person)
    title = _("Affiliation of %(name)s") % {"name": person.name}
    return render(
        request,
        "directory/affiliation_form.html",
        {"form": form, "title": title, "cancel_url": person.get_absolute_url(), "affiliation": affiliation},
    )


@require_POST
@signed_in_page
def affiliation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = _access_affiliation(request.user, pk)
    person = affiliation.person
    if not access.can_edit_person(request.user, person):
        raise PermissionDenied
    services.do_delete_affiliation(request.user, affiliation)
    messages.success(request, _("The affiliation was removed."))
    return redirect(person)


def municipality_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the municipality select for the chosen prefecture (htmx, public data)."""
    prefecture = request.GET.get("prefecture", "")
    selected = request.GET.get("municipality", "")
    municipalities = current_municipalities(prefecture=prefecture) if prefecture else current_municipalities()
    return render(
        request,
        "directory/_municipality_options.html",
        {"municipalities": municipalities, "selected": selected},
    )
