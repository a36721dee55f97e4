"""The job pages: /jobs/ (the user's jobs) and /jobs/<id>/ (one job's progress and result, which
refreshes itself with htmx polling until the job has finished)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renkei.core.access import signed_in_page
from renkei.core.listing import Column, RecordListView
from renkei.jobs import access, services
from renkei.jobs.runner import check_stale_jobs

POLL_SECONDS = 1


class JobListView(LoginRequiredMixin, RecordListView):
    title = gettext_lazy("My jobs")
    export_name = "jobs"
    default_sort = "-created"
    columns = [
        Column("kind", gettext_lazy("Job"), lambda j: f"{j.kind_label} #{j.pk}", link=True),
        Column("status", gettext_lazy("Status"), lambda j: j.get_status_display(), sort="status"),
        Column("stage", gettext_lazy("Stage"), lambda j: j.stage_display),
        Column("progress", gettext_lazy("Progress"), lambda j: "" if j.percent is None else f"{j.percent}%"),
        Column("created", gettext_lazy("Started"), lambda j: date_filter(j.created_at, "Y-m-d H:i"), sort="created_at"),
        Column(
            "finished",
            gettext_lazy("Finished"),
            lambda j: date_filter(j.finished_at, "Y-m-d H:i") if j.finished_at else "",
            sort="finished_at",
        ),
    ]

    def get_queryset(self) -> QuerySet:
        check_stale_jobs()
        return access.own_jobs(self.request.user)


job_list = JobListView.as_view()


@signed_in_page
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check_stale_jobs()
    job = access.access_job(request.user, pk)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "can_cancel": access.can_cancel(request.user, job)}
    if getattr(request, "htmx", False):
        return render(request, "jobs/_job_progress.html", context)
    return render(request, "jobs/job_detail.html", context)


@require_POST
@signed_in_page
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.access_job(request.user, pk)
    job = services.do_cancel_job(request.user, job)
    if job.is_finished:
        messages.info(request, _("The job was cancelled or had already finished."))
    else:
        messages.info(request, _("The job was asked to stop; it stops at its next step."))
    return redirect(job)
