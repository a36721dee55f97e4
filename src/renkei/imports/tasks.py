"""Imports as background jobs: a file uploaded in the web UI is imported by a job, which reports
its progress on the job's page and records the ImportRun it made in its result."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun
from renkei.imports.records import do_import_records
from renkei.imports.services import do_import_corporations
from renkei.imports.sources import record_source
from renkei.imports.uploads import discard_upload, is_upload_path
from renkei.jobs.registry import job_kind
from renkei.jobs.runner import JobContext, JobError

STAGE_READING = _("Reading the file")

RESULT_LABELS = {
    "run": _("Import run"),
    "read": _("Rows read"),
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "skipped": _("Skipped"),
    "rejected": _("Rejected"),
    "queued_for_review": _("Links to review"),
    "report_url": _("Import report"),
}


def run_summary(run: ImportRun) -> dict:
    """The job result for a finished run: its id, its counts and the address of its report."""
    return {
        "run": run.pk,
        "read": run.rows_read,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "skipped": run.skipped,
        "rejected": run.rejected,
        "queued_for_review": run.review_items.count(),
        "report_url": reverse("imports:run_detail", args=[run.pk]),
    }


@job_kind("imports.corporate_numbers", label=_("Corporate number import"), result_labels=RESULT_LABELS)
def import_corporate_numbers(context: JobContext, *, path: str, file_name: str = "") -> dict:
    """Import the uploaded NTA file at PATH (in the upload directory), then delete it.

    Progress is the bytes of the file read. A file refused whole fails the job with the
    importer's message (the run is recorded as failed, with that message, in the import list)."""
    upload = Path(path)
    if not is_upload_path(upload):
        raise JobError(gettext("The file to import is not in the upload directory."))
    context.progress(STAGE_READING, 0, None)

    def report(done: int, total: int, run: ImportRun) -> None:
        context.progress(STAGE_READING, done, total)

    try:
        run = do_import_corporations(upload, user=context.user, progress=report, file_name=file_name)
    except ImportFileError as exc:
        raise JobError(gettext("The file was not imported: %(reason)s") % {"reason": exc}) from None
    finally:
        discard_upload(upload)
    return run_summary(run)


def _import_records(context: JobContext, source: str, path: str, file_name: str) -> dict:
    """Import the uploaded file of SOURCE (researchmap, KAKEN, patents) at PATH, then delete it."""
    upload = Path(path)
    if not is_upload_path(upload):
        raise JobError(gettext("The file to import is not in the upload directory."))
    context.progress(STAGE_READING, 0, None)

    def report(done: int, total: int, run: ImportRun) -> None:
        context.progress(STAGE_READING, done, total)

    try:
        run = do_import_records(record_source(source), upload, user=context.user, progress=report, file_name=file_name)
    except ImportFileError as exc:
        raise JobError(gettext("The file was not imported: %(reason)s") % {"reason": exc}) from None
    finally:
        discard_upload(upload)
    return run_summary(run)


@job_kind("imports.researchmap", label=_("researchmap import"), result_labels=RESULT_LABELS)
def import_researchmap(context: JobContext, *, path: str, file_name: str = "") -> dict:
    return _import_records(context, "researchmap", path, file_name)


@job_kind("imports.kaken", label=_("KAKEN import"), result_labels=RESULT_LABELS)
def import_kaken(context: JobContext, *, path: str, file_name: str = "") -> dict:
    return _import_records(context, "kaken", path, file_name)


@job_kind("imports.patents", label=_("Patent list import"), result_labels=RESULT_LABELS)
def import_patents(context: JobContext, *, path: str, file_name: str = "") -> dict:
    return _import_records(context, "patents", path, file_name)


@job_kind("imports.gbizinfo", label=_("gBizINFO import"), result_labels=RESULT_LABELS)
def import_gbizinfo(context: JobContext, *, path: str, file_name: str = "") -> dict:
    return _import_records(context, "gbizinfo", path, file_name)


@job_kind("imports.estat", label=_("e-Stat statistics import"), result_labels=RESULT_LABELS)
def import_estat(context: JobContext, *, path: str, file_name: str = "") -> dict:
    return _import_records(context, "estat", path, file_name)
