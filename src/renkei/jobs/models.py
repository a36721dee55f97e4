"""The record of a background job (ジョブ): what it is, who started it and how far it has got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renkei.jobs.choices import FINISHED, JobStatus
from renkei.programs.models import Cluster


class Job(models.Model):
    """One run of a job kind (an import, an index update), inline or in a Celery worker.

    The row is the job's state for every process: the worker writes its progress and heartbeat
    here, pages read it. Its changes are not kept in the change history: progress is written up
    to twice a second, and the row itself is the history of the run.

    `stage` and runner-made `error` messages are stored as their untranslated (English) text and
    translated for each reader (`stage_display`, `error_display`)."""

    kind = models.CharField(_("kind"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("cluster"),
        help_text=_("The cluster the job works for; its HQ staff may follow it."),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    traceback = models.TextField(
        _("traceback"), blank=True, help_text=_("For operators only; never shown on the job's page.")
    )
    cancel_requested = models.BooleanField(_("cancellation requested"), default=False)
    worker = models.CharField(_("worker"), max_length=255, blank=True, help_text=_("host:process id"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["started_by", "-created_at"], name="job_started_by_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")), name="job_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def kind_label(self) -> str:
        from renkei.jobs.registry import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind is not None else self.kind

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def stage_display(self) -> str:
        return gettext(self.stage) if self.stage else ""

    @property
    def error_display(self) -> str:
        return gettext(self.error) if self.error else ""

    def result_items(self) -> list[tuple[str, object]]:
        """The result summary as (label, value) pairs, labelled by the job kind when it says how."""
        from renkei.jobs.registry import get_kind

        kind = get_kind(self.kind)
        labels = kind.result_labels if kind is not None else {}
        result = self.result if isinstance(self.result, dict) else {"result": self.result}
        return [(str(labels.get(key, key)), value) for key, value in result.items()]
