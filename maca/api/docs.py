"""The API's documentation as a maca page: the OpenAPI document, read out server-side.

Swagger UI failed WCAG 2.2 AA (colour contrast, no page language, buttons inside links, small
targets) and needs JavaScript to show anything. This page is the same document drawn with the
GOV.UK Design System like every other page: each operation with its parameters, request body and
responses as tables, and every schema once, linked to from where it is used. The machine-readable
document stays at `openapi.json`.
"""

import re
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

REF = "#/components/schemas/"
METHODS = ("get", "post", "put", "patch", "delete")


def paragraphs(text: str) -> list[list[tuple[str, bool]]]:
    """Markdown-ish text as paragraphs of (words, is code) parts: blank lines part paragraphs,
    a single line break is a space, `backticks` mark code. Everything else is text."""
    found = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = " ".join(block.split())
        if joined:
            parts = re.split(r"`([^`]*)`", joined)
            found.append([(part, i % 2 == 1) for i, part in enumerate(parts) if part])
    return found


@dataclass(frozen=True)
class TypeText:
    """A field's type in words, with the schema it names (for a link), if any."""

    words: str
    schema: str = ""
    after: str = ""


@dataclass
class Field:
    name: str
    type: TypeText
    required: bool
    description: str = ""
    where: str = ""  # a parameter's place: path, query or header


@dataclass
class Response:
    status: str
    description: str
    type: TypeText | None


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: list
    anchor: str
    parameters: list[Field]
    body: TypeText | None
    responses: list[Response]


@dataclass
class Group:
    tag: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field]
    type: TypeText | None  # a schema that is not an object: its type in words


def type_text(schema: dict) -> TypeText:
    """`schema` in words: "integer, 1 to 200", "list of AuditOut", "one of: a, b"."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        return TypeText("", schema=name)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            nullable = len(options) < len(schema[key])
            if len(options) == 1:
                inner = type_text(options[0])
                after = inner.after + (" or null" if nullable else "")
                return TypeText(inner.words, inner.schema, after)
            words = " or ".join(_plain(type_text(s)) for s in options)
            return TypeText(words + (" or null" if nullable else ""))
    if "enum" in schema:
        return TypeText("one of: " + ", ".join(str(v) for v in schema["enum"]))
    kind = schema.get("type", "any value")
    if kind == "array":
        inner = type_text(schema.get("items", {}))
        limits = _limits(schema, "minItems", "maxItems", "items")
        return TypeText("list of " + inner.words, inner.schema, inner.after + limits)
    if kind == "string":
        words = "string"
        if fmt := schema.get("format"):
            words = f"{words} ({fmt})"
        return TypeText(words + _limits(schema, "minLength", "maxLength", "characters"))
    if kind in ("integer", "number"):
        return TypeText(kind + _limits(schema, "minimum", "maximum", ""))
    if kind == "object" and "additionalProperties" in schema:
        values = schema["additionalProperties"]
        if isinstance(values, dict):
            inner = type_text(values)
            return TypeText("object whose values are " + inner.words, inner.schema, inner.after)
    return TypeText(str(kind))


def _plain(text: TypeText) -> str:
    return " ".join(part for part in (text.words, text.schema, text.after) if part)


def _limits(schema: dict, low_key: str, high_key: str, unit: str) -> str:
    low, high = (_number(schema.get(key)) for key in (low_key, high_key))
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f", {low} to {high}{unit}"
    if high is not None:
        return f", at most {high}{unit}"
    if low is not None and low != "0":
        return f", at least {low}{unit}"
    return ""


def _number(value):
    return f"{value:,}" if isinstance(value, int) else value


def _fields(schema: dict) -> list[Field]:
    required = set(schema.get("required", ()))
    return [
        Field(name, type_text(prop), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _json_type(content: dict | None) -> TypeText | None:
    """A body's type in words, from its first (in maca, only) media type."""
    if not content:
        return None
    media, body = next(iter(content.items()))
    if "schema" not in body:
        return TypeText(media)
    text = type_text(body["schema"])
    return text if media == "application/json" else TypeText(media, after=_plain(text))


def readable(document: dict) -> dict:
    """The OpenAPI document as the page's context: operations by tag, then the schemas."""
    groups: dict[str, Group] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            tag = (op.get("tags") or ["other"])[0]
            parameters = [
                Field(
                    p["name"],
                    type_text(p.get("schema", {})),
                    p.get("required", False),
                    p.get("description", ""),
                    p["in"],
                )
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {})
            responses = [
                Response(status, r.get("description", ""), _json_type(r.get("content")))
                for status, r in op.get("responses", {}).items()
            ]
            groups.setdefault(tag, Group(tag)).operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=paragraphs(op.get("description", "")),
                    anchor=op.get("operationId") or f"{method}-{path}",
                    parameters=parameters,
                    body=_json_type(body.get("content")),
                    responses=responses,
                )
            )
    schemas = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        is_object = "properties" in schema
        schemas.append(
            Schema(
                name=name,
                description=schema.get("description", ""),
                fields=_fields(schema) if is_object else [],
                type=None if is_object else type_text(schema),
            )
        )
    info = document["info"]
    return {
        "title": info["title"],
        "version": info["version"],
        "description": paragraphs(info.get("description", "")),
        "groups": list(groups.values()),
        "operations": sum(len(g.operations) for g in groups.values()),
        "schemas": schemas,
    }


class ReadableDocs(DocsBase):
    """django-ninja's docs page, as a maca page (see the module's docstring)."""

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        context = readable(api.get_openapi_schema(path_params=kwargs))
        context["openapi_url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/docs.html", context)
