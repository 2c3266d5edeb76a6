"""Schemathesis against the live OpenAPI document: every operation, as a coordinator and as an
agency auditor, with MACA_SCHEMATHESIS_EXAMPLES generated cases each (25 unless set; CI sets
100), besides Schemathesis's own boundary cases.

Each case must answer without a server error, with a status, content type and body its
operation documents, refused with 401 without its token, and rejected when it is invalid. Half
the ids sent are real ones (in scope and out of it); an id out of scope must answer exactly
what an id that does not exist answers.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from maca.actions.models import Action
from maca.wsgi import application

EXAMPLES = int(os.environ.get("MACA_SCHEMATHESIS_EXAMPLES", "25"))
MISSING_ID = 987_654_321

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Unknown query parameters are ignored, as by most HTTP APIs: not a case to reject.
schema.config.generation.update(
    max_examples=EXAMPLES, database="none", allow_extra_parameters=False
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """Called straight through WSGI, Django closes the database connection after each
    request; Django's test client stops it doing so (the test's transaction lives on that
    connection), and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["coordinator", "police_auditor"])
def caller(request, audit, planning_audit, other_audit, actions, token_for):
    """Who calls (a token), and the real ids they may and may not reach."""
    everything = {
        "audit_id": [audit.pk, planning_audit.pk, other_audit.pk],
        "action_id": [action.pk for action in actions.values()],
    }
    if request.param == "coordinator":
        reachable = {"audit_id": [audit.pk, planning_audit.pk]}
        reachable["action_id"] = [actions["police"].pk, actions["csc"].pk]
    else:
        reachable = {"audit_id": [audit.pk], "action_id": [actions["police"].pk]}
    user = request.getfixturevalue(request.param)
    return {
        "headers": {"Authorization": f"Bearer {token_for(user)}"},
        "ids": everything,
        "out_of_scope": {name: set(ids) - set(reachable[name]) for name, ids in everything.items()},
    }


def _negative_at(case, location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def _aim_at_real_objects(case, data, ids):
    """Half the time, a real id in place of a generated one (never in a case meant to be
    invalid there: it would stop being invalid)."""
    if not _negative_at(case, ParameterLocation.PATH):
        for name in list(case.path_parameters or {}):
            if name in ids and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(ids[name]), label=name)
    # Progress sent from the action's current version, sometimes, so that it can succeed.
    action_id = (case.path_parameters or {}).get("action_id")
    if (
        case.method == "POST"
        and isinstance(case.body, dict)
        and not _negative_at(case, ParameterLocation.BODY)
        and action_id in ids["action_id"]
        and data.draw(st.booleans(), label="current version")
    ):
        case.body["version"] = Action.objects.get(pk=action_id).version


@schema.given(data=st.data())
@schema.parametrize()
# The tokens and objects are made once per operation and role; the examples share them (the
# progress recorded along the way only moves an action's version, which is read afresh).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_to_its_document(case, data, caller):
    _aim_at_real_objects(case, data, caller["ids"])
    response = case.call_and_validate(headers=caller["headers"], checks=CHECKS)

    probed = [
        name
        for name, value in (case.path_parameters or {}).items()
        if value in caller["out_of_scope"].get(name, ())
    ]
    if probed:
        for name in probed:
            case.path_parameters[name] = MISSING_ID
        missing = case.call(headers=caller["headers"])
        assert (response.status_code, response.content) == (missing.status_code, missing.content)
