"""The network API's query and response bodies."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from renkei.core.filters import MAX_ID
from renkei.network.paths import DEFAULT_MAX_HOPS, DEFAULT_TOP, MAX_HOPS_LIMIT, TOP_LIMIT


class PathQuerySerializer(serializers.Serializer):
    """The query of GET /api/network/paths/: one start and one end, each an organisation or a person."""

    from_org = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Start: an organisation's id."
    )
    from_person = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Start: a person's id."
    )
    to_org = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="End: an organisation's id."
    )
    to_person = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="End: a person's id.")
    max_hops = serializers.IntegerField(
        min_value=1, max_value=MAX_HOPS_LIMIT, default=DEFAULT_MAX_HOPS, help_text="Longest path, in ties."
    )
    top = serializers.IntegerField(min_value=1, max_value=TOP_LIMIT, default=DEFAULT_TOP, help_text="How many paths.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for end in ("from", "to"):
            org, person = attrs.get(f"{end}_org"), attrs.get(f"{end}_person")
            if org is None and person is None:
                raise serializers.ValidationError({f"{end}_org": [_("Give an organisation or a person.")]})
            if org is not None and person is not None:
                raise serializers.ValidationError({f"{end}_person": [_("Give an organisation or a person, not both.")]})
            attrs[end] = ("organisation", org) if org is not None else ("person", person)
        return attrs


class PathStepSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='The node: "org:<id>", "person:<id>", "user:<id>" or "cluster:<code>".')
    kind = serializers.CharField(help_text="organisation, person, coordinator or cluster.")
    label = serializers.CharField()
    url = serializers.CharField(allow_blank=True, help_text="The record's page; empty for a coordinator.")
    tie = serializers.CharField(allow_null=True, help_text="The tie type from the step before; null on the first.")
    tie_label = serializers.CharField(allow_blank=True)
    trust = serializers.FloatField(allow_null=True, help_text="The tie's trust weight (0–1]; null on the first.")


class PathSerializer(serializers.Serializer):
    hops = serializers.IntegerField()
    cost = serializers.FloatField(help_text="The sum of 1 / trust over the path's ties; lower is better.")
    steps = PathStepSerializer(many=True)


class PathsResponseSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="The start node.")
    target = serializers.CharField(help_text="The end node.")
    max_hops = serializers.IntegerField()
    paths = PathSerializer(many=True)
