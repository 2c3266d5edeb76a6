"""The API's docs page (maca/api/docs.py): the OpenAPI document read out in full, as words."""

import json

import pytest

from maca.api.docs import TypeText, paragraphs, type_text

pytestmark = pytest.mark.django_db


def test_every_operation_and_schema_of_the_document_is_on_the_page(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)

    page = client.get("/api/v1/docs")

    assert page.status_code == 200
    html = page.content.decode()
    for methods in document["paths"].values():
        for operation in methods.values():
            assert f'id="{operation["operationId"]}"' in html, operation["operationId"]
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html, name
    assert html.count('class="maca-operation') == sum(map(len, document["paths"].values()))
    assert 'href="/api/v1/openapi.json"' in html


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        (
            {"type": "integer", "minimum": 1, "maximum": 1000000},
            TypeText("integer, 1 to 1,000,000"),
        ),
        ({"type": "string", "maxLength": 200}, TypeText("string, at most 200 characters")),
        ({"type": "string", "format": "date"}, TypeText("string (date)")),
        ({"enum": ["good", "inadequate"]}, TypeText("one of: good, inadequate")),
        ({"$ref": "#/components/schemas/AuditOut"}, TypeText("", schema="AuditOut")),
        (
            {"type": "array", "items": {"$ref": "#/components/schemas/AreaOut"}, "maxItems": 50},
            TypeText("list of ", schema="AreaOut", after=", at most 50 items"),
        ),
        (
            {"anyOf": [{"type": "string", "maxLength": 9}, {"type": "null"}]},
            TypeText("string, at most 9 characters", after=" or null"),
        ),
        (
            {"anyOf": [{"$ref": "#/components/schemas/Grade"}, {"type": "null"}]},
            TypeText("", schema="Grade", after=" or null"),
        ),
    ],
)
def test_a_type_in_words(schema, words):
    assert type_text(schema) == words


def test_descriptions_become_paragraphs_with_code_marked():
    text = "Every call sends a token:\n`Authorization: Bearer maca_…`.\n\nSee docs/api.md."

    assert paragraphs(text) == [
        [
            ("Every call sends a token: ", False),
            ("Authorization: Bearer maca_…", True),
            (".", False),
        ],
        [("See docs/api.md.", False)],
    ]
