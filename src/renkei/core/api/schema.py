"""OpenAPI schema generation for the renkei API: every operation documents its error responses
too, so clients (and the suite, which validates every response) know each body's shape."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of 401, 403, 404, 405 and 429 responses."""

    detail = serializers.CharField(help_text="What went wrong, in the reader's language.")


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a 400 response: each rejected field (or `non_field_errors`) with its reasons.
    Its schema comes from ValidationErrorExtension, as a serializer cannot declare a free map."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        reasons = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": (
                "The fields whose values were rejected, each with the reasons; `non_field_errors` holds "
                "reasons that concern the record as a whole. A list field reports its items by position. "
                "A body that is not valid JSON gets `detail` instead."
            ),
            "properties": {"detail": {"type": "string", "description": "Why the request body could not be read."}},
            "additionalProperties": {"oneOf": [reasons, {"type": "object", "additionalProperties": True}]},
            "example": {"corporate_number": ["The check digit of corporate number 1234567890123 is wrong."]},
        }


class RenkeiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error responses each kind of operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, serializer in self.error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code, direction=direction)
        return responses

    def error_responses(self) -> dict[str, type[serializers.Serializer]]:
        # 401: a wrong or expired token; 429: throttled. Both can happen on any call.
        codes: dict[str, type[serializers.Serializer]] = {"401": ErrorSerializer, "429": ErrorSerializer}
        if self.method in ("POST", "PUT", "PATCH"):
            codes["400"] = ValidationErrorSerializer
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes["403"] = ErrorSerializer
        if "{" in self.path:
            codes["404"] = ErrorSerializer
        if self.method == "GET" and self._is_list_view():
            # A filter value of the wrong type is a 400; a page past the end is a 404.
            codes["400"] = ValidationErrorSerializer
            codes["404"] = ErrorSerializer
        return dict(sorted(codes.items()))
