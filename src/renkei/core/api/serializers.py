"""Serializers of the reference data, and the building blocks the apps' serializers share: a
ModelSerializer that saves through a service, and a link field limited to what the reader sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from rest_framework import serializers

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A link by id to a record the requesting user may see. Ids of records they may not see are
    rejected exactly like ids that do not exist, so a write cannot probe for hidden records."""

    def __init__(self, visible: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:  # schema generation
            return self.queryset.none()
        return self.visible(request.user)


class ServiceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that never writes to the database itself: `create` and `update` fill the
    model instance and hand it to the app's do_save_* service, which checks the permission and
    runs full_clean. Many-to-many values named in `many_to_many` go to the service separately."""

    many_to_many: tuple[str, ...] = ()

    def save_through_service(self, actor, instance: models.Model, m2m: dict[str, list]) -> models.Model:
        raise NotImplementedError

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        return self._apply(self.Meta.model(), validated_data)

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        return self._apply(instance, validated_data)

    def _apply(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        m2m = {name: validated_data.pop(name) for name in self.many_to_many if name in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_through_service(self.context["request"].user, instance, m2m)


class BureauRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BureauRegion
        fields = ["code", "name_ja", "name_en", "sort_order"]


class PrefectureSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The bureau region's code.")

    class Meta:
        model = Prefecture
        fields = ["code", "name_ja", "name_en", "name_kana", "region"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "prefecture", "name_ja", "name_en", "name_kana", "valid_from", "valid_until"]


class IndustryClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryClass
        fields = ["id", "revision", "code", "level", "parent", "name_ja", "name_en"]


class TechFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechField
        fields = ["code", "name_ja", "name_en", "sort_order"]
