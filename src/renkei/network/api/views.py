"""The network API: who can introduce one organisation or person to another
(renkei.network.paths), under the same visibility rules as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.core.api.schema import ErrorSerializer, ValidationErrorSerializer
from renkei.core.api.views import RenkeiViewSetMixin
from renkei.network.api.serializers import PathQuerySerializer, PathsResponseSerializer
from renkei.network.paths import find_paths, node_of


class NetworkViewSet(RenkeiViewSetMixin, viewsets.ViewSet):
    """The collaboration network: shortest trusted paths between two records of the directory."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Who can introduce me? Trusted paths between two records",
        description=(
            "The cheapest paths of trusted ties from an organisation or person (`from_org` or `from_person`) "
            "to another (`to_org` or `to_person`), at most `max_hops` ties long, cheapest first. Each tie type "
            "has a trust weight (affiliations, HQ positions and introductions that led to a meeting 1.0; a "
            "coordinator's contacts 0.8; an introduction not yet met 0.4; shared cluster membership 0.25) "
            "and a tie costs 1 / trust. Only records the reader may see are on a path; ties from the "
            "coordinators' CRM count only for readers of that cluster's CRM (its coordinators and HQ staff, "
            "national officers). A start or end the reader may not see is a 404."
        ),
        parameters=[PathQuerySerializer],
        responses={
            200: PathsResponseSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="A query parameter was rejected."),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in."),
            404: OpenApiResponse(ErrorSerializer, description="The start or the end is not visible to the reader."),
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def paths(self, request: Request) -> Response:
        query = PathQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        paths = find_paths(request.user, data["from"], data["to"], max_hops=data["max_hops"], top=data["top"])
        body = {
            "source": node_of(*data["from"]),
            "target": node_of(*data["to"]),
            "max_hops": data["max_hops"],
            "paths": [path.as_json() for path in paths],
        }
        return Response(PathsResponseSerializer(body).data)
