"""Imports as background jobs: a file uploaded in the web UI is imported by a job, which reports
its progress on the job's page and records the ImportRun it made in its result."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun
from renkei.imports.services import do_import_corporations
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
        "report_url": reverse("imports:run_detail", args=[run.pk]),
    }


@job_kind("imports.corporate_numbers", label=_("Corporate number import"), result_labels=RESULT_LABELS)
def import_corporate_numbers(context: JobContext, *, path: str, file_name: str = "") -> dict:
    """Import the uploaded NTA file at PATH (in the upload directory), then delete it.

    Progress is the bytes of the file read. A file refused whole fails the job with the
    importer's message (the run is recorded as failed, with that message, in the import list)."""
    upload = Path(path)
    if not is_upload_path(upload):
        raise JobError(_gettext("The file to import is not in the upload directory."))
    context.progress(STAGE_READING, 0, None)

    def report(done: int, total: int, run: ImportRun) -> None:
        context.progress(STAGE_READING, done, total)

    try:
        run = do_import_corporations(upload, user=context.user, progress=report, file_name=file_name)
    except ImportFileError as exc:
        raise JobError(_gettext("The file was not imported: %(reason)s") % {"reason": exc}) from None
    finally:
        discard_upload(upload)
    return run_summary(run)
