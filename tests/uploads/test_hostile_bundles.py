"""Hostile audit bundles, through the API (`POST /api/v1/bundles`) and `maca import-bundle`:
refused with the limit they met, within 100 MB, listing the first 20 problems and how many more
(bench/limits.py times the refusals)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from maca.audits.models import Audit
from maca.bundles.validation import STOPPED
from tests.bundles.samples import small_bundle
from tests.uploads.cost import cost_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(partnership):
    return small_bundle() | {"partnership": partnership.name}


def sent(api, body: str | bytes):
    """The API's answer to a body sent as it is."""
    response = api.client.post(
        "/api/v1/bundles", body, content_type="application/json", headers=api.headers
    )
    return response.status_code, response.json()["detail"]


def nested(bundle: dict, depth: int) -> str:
    """The bundle with its audit's next steps a list nested `depth` deep."""
    text = json.dumps(bundle | {"audit": bundle["audit"] | {"next_steps": "NESTED"}})
    return text.replace('"NESTED"', "[" * depth + "]" * depth)


def cheaply(call):
    call()  # once first: the API's first request in a process sets itself up
    raised, cost = cost_of(call)
    print(f"\n{cost}")
    assert cost.traced_mb < 100 and cost.resident_mb < 100, cost
    return raised


@pytest.mark.parametrize("depth", [900, 100_000])
def test_a_bundle_nested_deeper_than_maca_reads_is_refused(depth, coordinator, bundle, api_as):
    # Before: 900 deep was answered by quoting the whole value back; 100,000 deep overflowed
    # the parser's recursion, answered "Cannot parse request body".
    api = api_as(coordinator)
    body = nested(bundle, depth)

    assert cheaply(lambda: sent(api, body)) is None
    assert sent(api, body) == (
        400,
        [{"loc": ["body"], "msg": "The bundle nests more than 20 deep, more than maca reads"}],
    )
    assert not Audit.objects.exists()


def test_a_bundle_of_more_values_than_maca_reads_is_refused(coordinator, bundle, api_as):
    # 300,000 cases of 0: each a problem for the schema to describe (6 s and an answer listing
    # each one, before).
    api = api_as(coordinator)
    body = json.dumps(bundle | {"cases": [0] * 300_000})

    cheaply(lambda: sent(api, body))
    assert sent(api, body) == (
        400,
        [
            {
                "loc": ["body"],
                "msg": "The bundle has more than 200,000 values, more than maca reads",
            }
        ],
    )


def test_checking_stops_at_1000_problems_and_the_answer_lists_20(coordinator, bundle, api_as):
    api = api_as(coordinator)
    body = json.dumps(bundle | {"cases": [0] * 150_000})

    cheaply(lambda: sent(api, body))
    status, detail = sent(api, body)
    assert status == 400
    assert detail[0] == {"loc": ["body"], "msg": STOPPED}
    assert detail[1] == {"loc": ["body", "cases", 0], "msg": "0 is not of type 'object'"}
    assert len(detail) == 21
    assert detail[-1] == {"loc": ["body"], "msg": "and 981 more problems"}


def test_a_bundle_larger_than_10_mb_is_refused(coordinator, bundle, api_as):
    body = json.dumps(bundle | {"padding": " " * (10 * 1024 * 1024)})

    assert sent(api_as(coordinator), body) == (
        400,
        [{"loc": ["body"], "msg": "The bundle is larger than 10 MB, more than maca reads"}],
    )


def test_a_bundle_larger_than_other_requests_may_be_is_imported(coordinator, bundle, api_as):
    # Django refuses any other body over 2.5 MB; a bundle's words may take more.
    bundle["audit"]["rationale"] = "Recommended by a serious case review. " * 100_000
    body = json.dumps(bundle)
    assert 2.5 * 1024 * 1024 < len(body) < 10 * 1024 * 1024

    response = api_as(coordinator).client.post(
        "/api/v1/bundles",
        body,
        content_type="application/json",
        headers=api_as(coordinator).headers,
    )

    assert response.status_code == 201
    assert Audit.objects.get().rationale.startswith("Recommended by a serious case review.")


def test_a_huge_value_is_named_not_repeated(coordinator, bundle, api_as):
    bundle["cases"][0]["returns"][0]["grade"] = "g" * 1_000_000

    status, detail = sent(api_as(coordinator), json.dumps(bundle))

    assert status == 400
    [problem] = detail
    assert problem["loc"] == ["body", "cases", 0, "returns", 0, "grade"]
    assert problem["msg"].startswith("'ggg") and len(problem["msg"]) <= 300


def test_a_number_too_long_to_read_is_refused_as_not_json(coordinator, bundle, api_as):
    body = json.dumps(bundle).replace('"closed"', "1" * 5_000, 1)

    status, [problem] = sent(api_as(coordinator), body)

    assert status == 400 and problem["msg"].startswith("The bundle is not JSON")


# --- maca import-bundle ---------------------------------------------------------------------


def imported(path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import_bundle", str(path), stdout=io.StringIO())
    return str(refused.value)


def test_the_command_refuses_a_bundle_nested_too_deep(tmp_path, bundle):
    path = tmp_path / "deep.json"
    path.write_text(nested(bundle, 100_000))

    assert imported(path) == (f"{path}: The bundle nests more than 20 deep, more than maca reads")


def test_the_command_refuses_a_file_larger_than_10_mb(tmp_path):
    path = tmp_path / "large.json"
    path.write_bytes(b" " * (10 * 1024 * 1024 + 1))

    assert imported(path) == f"{path}: The bundle is larger than 10 MB, more than maca reads"


def test_the_command_lists_the_first_20_problems_and_how_many_more(tmp_path, bundle):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bundle | {"cases": [0] * 50}))

    lines = imported(path).splitlines()

    assert lines[0] == f"{path} was not imported; nothing was written:"
    assert lines[1] == "  cases[0]: 0 is not of type 'object'"
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "  and 30 more problems"
