"""API views that belong to no domain: the token endpoint and the documentation pages."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from renkei.accounts import throttle
from renkei.core.api.schema import ErrorSerializer, RenkeiAutoSchema, ValidationErrorSerializer
from renkei.core.api.views import api_exception_handler


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/: a JSON 404 like the endpoints give, not the HTML page."""
    return JsonResponse({"detail": str(_("Not found."))}, status=404)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as the header `Authorization: Token <token>`.")


class TokenRequestThrottle(SimpleRateThrottle):
    """Token requests per client address, whatever their outcome or the caller's session."""

    scope = "auth_token"
    rate = "20/minute"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token (created on first request).

    Failed attempts count towards the same lock-out as the sign-in page, per username and per
    client address, and requests are rate-limited per address."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRequestThrottle]
    schema = RenkeiAutoSchema()

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="Missing fields or wrong credentials."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests or failed attempts."),
        },
        auth=[],
        tags=["auth"],
        operation_id="auth_token_create",
    )
    def post(self, request) -> Response:
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        username = credentials.validated_data["username"]
        address = throttle.client_address(request)
        if throttle.is_locked_out(username, address):
            raise exceptions.Throttled(detail=_("Too many failed sign-ins. Wait a few minutes and try again."))
        user = authenticate(request._request, username=username, password=credentials.validated_data["password"])
        if user is None:
            throttle.record_failure(username, address)
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Please enter a correct username and password.")]}, code="authorization"
            )
        throttle.clear_failures(username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)
