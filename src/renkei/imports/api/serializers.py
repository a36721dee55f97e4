"""The API representation of import runs and their rejected rows."""

from __future__ import annotations

from rest_framework import serializers

from renkei.imports.choices import ImportSource, ImportStatus
from renkei.imports.models import ImportRejection, ImportRun


class ImportRunSerializer(serializers.ModelSerializer):
    """One import of one file: who, when, the file and its checksum, the counts and the status."""

    source = serializers.ChoiceField(choices=ImportSource.choices, read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status = serializers.ChoiceField(choices=ImportStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The import report's page.")

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "url",
            "source",
            "source_label",
            "file_name",
            "file_size",
            "sha256",
            "encoding",
            "started_by",
            "started_at",
            "finished_at",
            "status",
            "status_label",
            "error",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "rejected",
            "batches_committed",
        ]
        read_only_fields = fields


class ImportRejectionSerializer(serializers.ModelSerializer):
    """A row the import refused: its line in the file, the field, the reason and the row as read."""

    class Meta:
        model = ImportRejection
        fields = ["id", "line_number", "field", "reason", "raw"]
        read_only_fields = fields
