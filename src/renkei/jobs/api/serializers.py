"""The API representation of a job: its state, progress and result summary."""

from __future__ import annotations

from rest_framework import serializers

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    """A background job. `stage` and `error` are in the reader's language."""

    kind_label = serializers.CharField(read_only=True, help_text="The job kind's name in the reader's language.")
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage = serializers.CharField(source="stage_display", read_only=True)
    percent = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="done/total as a percentage; null while the total is unknown."
    )
    finished = serializers.BooleanField(source="is_finished", read_only=True)
    error = serializers.CharField(source="error_display", read_only=True, help_text="Why the job failed, if it did.")
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    cluster = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    result = serializers.JSONField(read_only=True, help_text="The job kind's result summary (an object).")
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The job's page.")

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "finished",
            "stage",
            "done",
            "total",
            "percent",
            "result",
            "error",
            "started_by",
            "cluster",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
