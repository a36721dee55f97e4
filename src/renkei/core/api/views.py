"""The API's shared viewset machinery and the read-only reference endpoints.

Every record viewset reads through an app's visible_* helper and writes through its do_* services
(via ServiceModelSerializer), so the API enforces exactly the rules the pages do:

- an object the user may not see is a 404 (it is not in the queryset);
- a change the user may not make is a 403 (checked before the body is validated, and again by
  the service);
- a record the service's full_clean rejects is a 400 naming the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from renkei.core.api.schema import RenkeiAutoSchema
from renkei.core.api.serializers import (
    BureauRegionSerializer,
    IndustryClassSerializer,
    MunicipalitySerializer,
    PrefectureSerializer,
    TechFieldSerializer,
)
from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError (raised by the services' full_clean) as a 400
    with the same field-keyed body a serializer error has."""
    if isinstance(exc, DjangoValidationError):
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class RenkeiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class RenkeiViewSetMixin:
    """What every renkei API view shares: schema with error responses, pagination, throttling and
    the exception handler."""

    schema = RenkeiAutoSchema()
    pagination_class = RenkeiPagination
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def get_exception_handler(self) -> Callable:
        return api_exception_handler


class RecordViewSet(RenkeiViewSetMixin, viewsets.GenericViewSet):
    """Base of the record endpoints. Subclasses set `visible` (the app's visible_* helper), and
    override `optimise`, `check_can_create` and `check_can_change` as their rules need."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    visible: ClassVar[Callable[[Any], QuerySet]]

    def get_queryset(self) -> QuerySet:
        return self.optimise(type(self).visible(self.request.user))

    def optimise(self, queryset: QuerySet) -> QuerySet:
        """select_related/prefetch_related for what the serializer reads."""
        return queryset

    def check_can_create(self) -> None:
        """Raise PermissionDenied when the user may create no record of this kind at all."""

    def check_can_change(self, instance: Model) -> None:
        """Raise PermissionDenied when the user may not change or delete `instance` as it is now.
        The services check the record as it will be; this check stops moving a record out of a
        cluster (or away from a person) the user does not look after."""


class ServiceCreateMixin(mixins.CreateModelMixin):
    def create(self, request, *args, **kwargs) -> Response:
        self.check_can_create()
        return super().create(request, *args, **kwargs)


class ServiceUpdateMixin(mixins.UpdateModelMixin):
    def update(self, request, *args, **kwargs) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_can_change(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        if getattr(instance, "_prefetched_objects_cache", None):
            instance._prefetched_objects_cache = {}
        return Response(serializer.data)


class ServiceDestroyMixin(mixins.DestroyModelMixin):
    def destroy(self, request, *args, **kwargs) -> Response:
        instance = self.get_object()
        self.check_can_change(instance)
        self.perform_destroy(instance)
        return Response(status=204)

    def perform_destroy(self, instance: Model) -> None:
        raise NotImplementedError("Each viewset deletes through its app's do_delete_* service.")


class ReferenceViewSet(RenkeiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Reference data (prefectures, regions, industries, fields, municipalities): public, read-only."""

    permission_classes = [AllowAny]


class BureauRegionViewSet(ReferenceViewSet):
    """METI regional bureau areas (経済産業局の管轄区域)."""

    queryset = BureauRegion.objects.all()
    serializer_class = BureauRegionSerializer
    lookup_field = "code"
    ordering_fields = ["sort_order", "code"]


class PrefectureViewSet(ReferenceViewSet):
    """The 47 prefectures (都道府県), by JIS X 0401 code."""

    queryset = Prefecture.objects.select_related("region")
    serializer_class = PrefectureSerializer
    lookup_field = "code"
    filterset_fields = {"region__code": ["exact"]}
    ordering_fields = ["code", "name_kana"]


class MunicipalityViewSet(ReferenceViewSet):
    """Cities, wards, towns and villages (市区町村), by 6-digit local government code."""

    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    filterset_fields = ["prefecture"]
    ordering_fields = ["code", "name_kana"]


class IndustryClassViewSet(ReferenceViewSet):
    """Classes of the Japan Standard Industrial Classification (JSIC)."""

    queryset = IndustryClass.objects.all()
    serializer_class = IndustryClassSerializer
    filterset_fields = ["revision", "level", "code", "parent"]
    ordering_fields = ["revision", "code"]


class TechFieldViewSet(ReferenceViewSet):
    """Technology fields (技術分野) that tag clusters, organisations and people."""

    queryset = TechField.objects.all()
    serializer_class = TechFieldSerializer
    lookup_field = "code"
    ordering_fields = ["sort_order", "code"]
