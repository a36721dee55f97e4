"""Pages and JSON end points of the imports app.

- /imports/ the import runs the user may see, /imports/runs/<id>/ one run's report with its
  rejected rows, /imports/runs/<id>/rejections.csv those rows as CSV;
- /imports/new/ upload a file: it is streamed to the upload directory (the size limit enforced
  while it arrives, see `uploads`), and a background job imports it;
- /imports/review/ the review queue of uncertain links, /imports/review/<id>/ one link with its
  candidates, where staff confirm one or reject them all;
- /imports/corporations/lookup the organisation look-up (JSON).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core.access import page_access
from renkei.core.export import csv_response
from renkei.core.listing import Column, RecordListView
from renkei.directory.lookup import bulk_form_values, lookup_rate_exceeded
from renkei.imports.access import access_import_run, can_look_up_corporations, can_start_imports, visible_import_runs
from renkei.imports.choices import ImportSource, LinkKind, ReviewStatus
from renkei.imports.filters import ReviewItemFilterSet
from renkei.imports.forms import JOB_KINDS, ImportUploadForm
from renkei.imports.review import access_review_item, do_decide_review_item, visible_candidates, visible_review_items
from renkei.imports.services import LOOKUP_LIMIT, corporation_prefill, get_corporation_matches
from renkei.imports.uploads import ImportUploadHandler, StoredUpload
from renkei.jobs.services import enqueue

MAX_QUERY_LENGTH = 100
REJECTIONS_PER_PAGE = 100
# Multipart framing and the other fields around the file, allowed on top of the file limit
# before a request is refused from its declared length alone.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


# Sign-in for anonymous visitors, 403 for users whose role may not import.
importer_page = page_access(
    allow=can_start_imports,
    message=gettext_lazy("Only national officers, cluster HQ staff and administrators import files."),
)


# --- import runs ----------------------------------------------------------------------------


def _counts(run) -> str:
    return _("%(read)s read · %(created)s created · %(updated)s updated · %(rejected)s rejected") % {
        "read": f"{run.rows_read:,}",
        "created": f"{run.created:,}",
        "updated": f"{run.updated:,}",
        "rejected": f"{run.rejected:,}",
    }


@method_decorator(importer_page, name="dispatch")
class ImportRunListView(RecordListView):
    title = gettext_lazy("Imports")
    export_name = "import-runs"
    default_sort = "-started"
    create_url_name = "imports:upload"
    columns = [
        Column("file", gettext_lazy("File"), lambda r: r.file_name, sort="file_name", link=True),
        Column("source", gettext_lazy("Source"), lambda r: r.get_source_display(), sort="source"),
        Column("status", gettext_lazy("Status"), lambda r: r.get_status_display(), sort="status"),
        Column("started_by", gettext_lazy("Started by"), lambda r: r.started_by.get_username() if r.started_by else ""),
        Column("started", gettext_lazy("Started"), lambda r: date_filter(r.started_at, "Y-m-d H:i"), sort="started_at"),
        Column("counts", gettext_lazy("Rows"), _counts),
        Column("sha256", gettext_lazy("SHA-256"), lambda r: r.sha256),
    ]

    def get_queryset(self) -> QuerySet:
        return visible_import_runs(self.request.user)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("started_by")

    def can_create(self) -> bool:
        return True


run_list = ImportRunListView.as_view()


@importer_page
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The import report: the run's counts and its rejected rows, 100 a page."""
    run = access_import_run(request.user, pk)
    page = Paginator(run.rejections.order_by("line_number", "pk"), REJECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = [
        (_("Rows read"), run.rows_read),
        (_("Created"), run.created),
        (_("Updated"), run.updated),
        (_("Unchanged"), run.unchanged),
        (_("Skipped"), run.skipped),
        (_("Rejected"), run.rejected),
    ]
    if run.source == ImportSource.ESTAT or run.deleted:
        # Figures of the file's areas that it no longer lists: the file replaced them.
        counts.append((_("Deleted (replaced by the file)"), run.deleted))
    return render(
        request,
        "imports/run_detail.html",
        {
            "run": run,
            "counts": counts,
            "page": page,
            "file_size": filesizeformat(run.file_size),
            "stored_fewer": page.paginator.count < run.rejected,
            "review_pending": run.review_items.filter(status=ReviewStatus.PENDING).count(),
            "review_total": run.review_items.count(),
        },
    )


@importer_page
def run_rejections_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's rejected rows as CSV (cells that look like formulas neutralised)."""
    run = access_import_run(request.user, pk)
    rows = (
        (r.line_number, r.field, r.reason, r.raw)
        for r in run.rejections.order_by("line_number", "pk").iterator(chunk_size=2000)
    )
    header = [_("Line"), pgettext("import rejection", "Field"), _("Reason"), _("Row as read")]
    return csv_response(f"import-{run.pk}-rejections", header, rows)


# --- upload ---------------------------------------------------------------------------------


def _too_large_message(max_bytes: int) -> str:
    return _("The file is larger than the limit of %(limit)s; nothing was kept. Ask an operator to import it.") % {
        "limit": filesizeformat(max_bytes)
    }


@csrf_exempt  # the handlers must be replaced before the body is read; CSRF is checked below
@importer_page
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file to import, then follow its job. GET shows the form."""
    if request.method != "POST":
        return _upload_form(request)
    handler = ImportUploadHandler(request)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > handler.max_bytes + UPLOAD_OVERHEAD_BYTES:
        # Refused from its declared length alone: nothing of it is read or written.
        return _too_large(request, handler)
    request.upload_handlers = [handler]
    enqueued = False
    try:
        response = _upload_post(request, handler)
        enqueued = response.status_code == 302
    finally:
        if not enqueued:
            # A refused CSRF token, an invalid form or an error: the upload goes too.
            handler.discard()
    return response


def _too_large(request: HttpRequest, handler: ImportUploadHandler) -> HttpResponse:
    message = _too_large_message(handler.max_bytes)
    return render(request, "imports/upload.html", {"form": ImportUploadForm(), "file_error": message}, status=413)


@csrf_protect
def _upload_form(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/upload.html", {"form": ImportUploadForm()})


@csrf_protect
def _upload_post(request: HttpRequest, handler: ImportUploadHandler) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    stored = request.FILES.get("file")
    if handler.too_large:
        return _too_large(request, handler)
    if not form.is_valid() or not isinstance(stored, StoredUpload):
        return render(request, "imports/upload.html", {"form": form}, status=400)
    kind = JOB_KINDS[form.cleaned_data["source"]]
    job = enqueue(kind, request.user, path=str(stored.path), file_name=stored.name)
    return redirect(job)


# --- organisation look-up (JSON) --------------------------------------------------------------


@require_GET
def corporation_lookup(request: HttpRequest) -> JsonResponse:
    """`?q=` a name prefix or a 13-digit corporate number; `&limit=` up to 10. Returns
    `{"results": [...]}`, each result the values an organisation form fills in."""
    if not can_look_up_corporations(request.user):
        return JsonResponse({"detail": _("Sign in with a role that edits organisations to look them up.")}, status=403)
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return JsonResponse(
            {"q": _("At most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}},
            status=400,
        )
    try:
        limit = int(request.GET.get("limit", LOOKUP_LIMIT))
    except ValueError:
        return JsonResponse({"limit": _("A whole number from 1 to %(max)d.") % {"max": LOOKUP_LIMIT}}, status=400)
    if not 1 <= limit <= LOOKUP_LIMIT:
        return JsonResponse({"limit": _("A whole number from 1 to %(max)d.") % {"max": LOOKUP_LIMIT}}, status=400)
    if lookup_rate_exceeded(request.user):
        return JsonResponse({"detail": _("Too many look-ups; wait a minute and try again.")}, status=429)
    matches = get_corporation_matches(query, limit=limit)
    # "form": the same values mapped onto the directory's prefectures and municipalities.
    form_values = bulk_form_values(matches)
    results = [corporation_prefill(c) | {"form": f} for c, f in zip(matches, form_values, strict=True)]
    return JsonResponse({"results": results})


# --- review queue ---------------------------------------------------------------------------


def _best_candidate(item) -> str:
    candidates = list(item.candidates.all())
    if not candidates:
        return ""
    best = candidates[0]
    more = len(candidates) - 1
    label = f"{best.target} ({best.score:.2f})"
    return label + (_(" and %(count)d more") % {"count": more} if more else "")


@method_decorator(importer_page, name="dispatch")
class ReviewItemListView(RecordListView):
    title = gettext_lazy("Links to review")
    export_name = "import-review"
    default_sort = "-queued"
    filterset_class = ReviewItemFilterSet
    columns = [
        Column("name", gettext_lazy("Name as published"), lambda i: i.name, sort="name", link=True),
        Column("kind", gettext_lazy("Link"), lambda i: i.get_kind_display(), sort="kind"),
        Column("context", gettext_lazy("Context"), lambda i: i.context),
        Column("candidates", gettext_lazy("Best candidate"), _best_candidate),
        Column("status", gettext_lazy("Status"), lambda i: i.get_status_display(), sort="status"),
        Column("file", gettext_lazy("File"), lambda i: f"{i.run.file_name} #{i.run_id}", sort="run__file_name"),
        Column("line", gettext_lazy("Line"), lambda i: i.line_number),
        Column("queued", gettext_lazy("Queued"), lambda i: date_filter(i.created_at, "Y-m-d H:i"), sort="created_at"),
        Column(
            "decided_by",
            gettext_lazy("Decided by"),
            lambda i: i.decided_by.get_username() if i.decided_by else "",
        ),
    ]

    def get_queryset(self) -> QuerySet:
        return visible_review_items(self.request.user)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("run", "decided_by").prefetch_related(
            "candidates__organisation", "candidates__person"
        )


review_list = ReviewItemListView.as_view()


@require_http_methods(["GET", "POST"])
@importer_page
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One uncertain link: the row it came from, its candidates; POST confirms one or rejects all."""
    item = access_review_item(request.user, pk)
    candidates = visible_candidates(request.user, item).order_by("-score", "pk")
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                chosen = request.POST.get("candidate", "")
                if not chosen.isdigit():
                    raise ValidationError(_("Choose the record this name refers to."))
                candidate = get_object_or_404(candidates, pk=int(chosen))
                do_decide_review_item(request.user, item, confirm=candidate)
                messages.success(request, _("The link was confirmed and made."))
            elif action == "reject":
                do_decide_review_item(request.user, item)
                if item.kind == LinkKind.RESEARCHER_PROFILE:
                    messages.success(
                        request, _("The candidates were rejected; the profile was imported as a new person.")
                    )
                else:
                    messages.success(request, _("The link was rejected; it will not be proposed again."))
            else:
                raise ValidationError(_("Confirm a candidate or reject the link."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(f"{reverse('imports:review_list')}?status={ReviewStatus.PENDING}")
    return render(
        request,
        "imports/review_detail.html",
        {
            "item": item,
            "candidates": candidates,
            "error": error,
            "subject": _subject_label(item),
            # An office colleague sees the item but not the run another member started.
            "run_visible": visible_import_runs(request.user).filter(pk=item.run_id).exists(),
        },
        status=400 if error else 200,
    )


def _subject_label(item) -> str:
    if item.person_id:
        return str(item.person)
    if item.grant_project_id:
        return str(item.grant_project)
    if item.grant_member_id:
        return f"{item.grant_member} — {item.grant_member.project}"
    if item.patent_applicant_id:
        return f"{item.patent_applicant} — {item.patent_applicant.patent}"
    return ""
