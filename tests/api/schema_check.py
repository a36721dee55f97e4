"""Validates API responses against the OpenAPI schema that drf-spectacular generates, so every
response the suite sees is proof that the schema tells the truth (Zulip does the same).

The schema is generated once per test process. OpenAPI 3.0's `nullable` is turned into JSON
Schema's `"type": [..., "null"]` so the jsonschema library can check bodies against it."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

# Pages under /api/ that are not API operations and so are not in the schema.
NOT_OPERATIONS = {"/api/", "/api/schema/", "/api/docs/", "/api/redoc/"}


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema object → JSON Schema (recursively): `nullable` becomes a null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


# Formats are checked too: drf-spectacular describes a blank URL field as `oneOf` an empty string
# and a `uri`, which only a format-checking validator can tell apart.
FORMATS = jsonschema.FormatChecker(["date", "email", "regex"])


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


@dataclass(frozen=True)
class Operation:
    template: str
    pattern: re.Pattern
    methods: dict[str, Any]


@functools.cache
def openapi_schema() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


@functools.cache
def _operations() -> tuple[list[Operation], dict[str, Any]]:
    schema = openapi_schema()
    operations = []
    for template, item in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        operations.append(Operation(template, pattern, {m.upper(): op for m, op in item.items()}))
    return operations, _json_schema(schema["components"])


class SchemaMismatch(AssertionError):
    pass


def check_response(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    """Raise SchemaMismatch unless the response is one the schema documents, with that body."""
    if not path.startswith("/api/") or path in NOT_OPERATIONS or path.startswith("/api/docs/"):
        return
    operations, components = _operations()
    matches = [op for op in operations if op.pattern.match(path)]
    if not matches:
        if status == 404 and json.loads(body).keys() == {"detail"}:  # the JSON 404 of unknown addresses
            return
        raise SchemaMismatch(f"{method} {path} is not in the OpenAPI schema")
    operation = next((op.methods[method] for op in matches if method in op.methods), None)
    if operation is None:
        if status == 405:  # the schema rightly has no such operation
            return
        raise SchemaMismatch(f"{method} {path} answered {status} but the schema has no {method} there")
    responses = operation["responses"]
    documented = responses.get(str(status)) or responses.get("default")
    if documented is None:
        raise SchemaMismatch(
            f"{method} {path} answered {status}, which the schema does not document ({sorted(responses)})"
        )
    content = documented.get("content")
    if not content:
        if body:
            raise SchemaMismatch(f"{method} {path} {status} has a body but the schema documents none")
        return
    if not content_type.startswith("application/json"):
        raise SchemaMismatch(f"{method} {path} {status} answered {content_type}, not JSON")
    body_schema = {**_json_schema(content["application/json"]["schema"]), "components": components}
    try:
        jsonschema.validate(json.loads(body), body_schema, cls=jsonschema.Draft7Validator, format_checker=FORMATS)
    except jsonschema.ValidationError as exc:
        raise SchemaMismatch(f"{method} {path} {status}: {exc.message} at {list(exc.absolute_path)}") from exc
