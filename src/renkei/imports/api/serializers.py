"""The API representation of import runs and their rejected rows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from renkei.imports.choices import (
    ImportSource,
    ImportStatus,
    LinkKind,
    ReviewStatus,
    StatisticsMeasure,
    StatisticsSurvey,
)
from renkei.imports.models import ImportRejection, ImportRun, RegionalIndustryStatistic, ReviewCandidate, ReviewItem
from renkei.imports.review import visible_candidates


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
            "deleted",
            "batches_committed",
        ]
        read_only_fields = fields


class ImportRejectionSerializer(serializers.ModelSerializer):
    """A row the import refused: its line in the file, the field, the reason and the row as read."""

    class Meta:
        model = ImportRejection
        fields = ["id", "line_number", "field", "reason", "raw"]
        read_only_fields = fields


class ReviewCandidateSerializer(serializers.ModelSerializer):
    """A record the published name may refer to: an organisation or a person, with its score."""

    label = serializers.SerializerMethodField()

    class Meta:
        model = ReviewCandidate
        fields = ["id", "organisation", "person", "label", "score", "reason"]
        read_only_fields = fields

    def get_label(self, candidate: ReviewCandidate) -> str:
        return str(candidate.target)


class ReviewItemSerializer(serializers.ModelSerializer):
    """A link an import could not make with certainty, its candidates the user may see, and the
    decision once taken."""

    kind = serializers.ChoiceField(choices=LinkKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The item's review page.")
    candidates = serializers.SerializerMethodField()

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "url",
            "run",
            "line_number",
            "kind",
            "kind_label",
            "name",
            "context",
            "status",
            "candidates",
            "chosen",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewCandidateSerializer(many=True))
    def get_candidates(self, item: ReviewItem) -> list:
        request = self.context.get("request")
        candidates = visible_candidates(request.user, item).order_by("-score", "pk") if request else []
        return ReviewCandidateSerializer(candidates, many=True).data


class ReviewDecisionSerializer(serializers.Serializer):
    """`{"action": "confirm", "candidate": ID}` makes the link; `{"action": "reject"}` rejects it
    (for a `researcher_profile` item: the profile is imported as a new person)."""

    action = serializers.ChoiceField(choices=["confirm", "reject"])
    candidate = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        if attrs["action"] == "confirm" and not attrs.get("candidate"):
            raise serializers.ValidationError({"candidate": "Choose the candidate to confirm."})
        return attrs


class RegionalIndustryStatisticSerializer(serializers.ModelSerializer):
    """One figure of a regional industry statistic: establishments or employees of a JSIC
    division or major group in a municipality, in one survey and year. `value` is null and
    `suppressed` true where the table printed a symbol (kept in `symbol`: X, -, …)."""

    survey = serializers.ChoiceField(choices=StatisticsSurvey.choices, read_only=True)
    measure = serializers.ChoiceField(choices=StatisticsMeasure.choices, read_only=True)
    municipality = serializers.CharField(source="municipality_id", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name_ja", read_only=True)
    prefecture = serializers.CharField(source="municipality.prefecture_id", read_only=True)
    industry = serializers.CharField(source="industry.code", read_only=True)
    industry_name = serializers.CharField(source="industry.name_ja", read_only=True)
    jsic_revision = serializers.CharField(source="industry.revision", read_only=True)

    class Meta:
        model = RegionalIndustryStatistic
        fields = [
            "id",
            "survey",
            "year",
            "prefecture",
            "municipality",
            "municipality_name",
            "jsic_revision",
            "industry",
            "industry_name",
            "measure",
            "value",
            "suppressed",
            "symbol",
            "annotation",
            "run",
        ]
        read_only_fields = fields
