"""Schemathesis against the live OpenAPI document: every operation, as a coordinator and as an
agency auditor, with MACA_SCHEMATHESIS_EXAMPLES generated cases each (25 unless set; CI sets
100, for PostgreSQL: scripts/run-tests keeps SQLite's pass at 25), besides Schemathesis's own
boundary cases.

Each case must answer without a server error, with a status, content type and body its
operation documents, refused with 401 without its token, and rejected when it is invalid. Half
the ids sent are real ones (in scope and out of it); an id out of scope must answer exactly
what an id that does not exist answers. The figures of the run (operations, cases, failures)
are printed at its end (tests/api/figures.py).
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
from maca.audits.models import RequestStatus
from maca.returns.models import Return
from maca.wsgi import application
from tests import factories as f
from tests.api.figures import count_case

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
def caller(request, audit, planning_audit, other_audit, actions, areas, agencies, token_for):
    """Who calls (a token), and the real ids they may and may not reach. Police also have a
    return still to write (its draft can be saved and submitted), and each audit has a
    published edition of its report."""
    draft = f.RequestFactory(
        case=f.CaseFactory(audit=audit, reference="T-C-01", area=areas["Central"]),
        agency=agencies["Police"],
        status=RequestStatus.OUTSTANDING,
    )
    f.published_report(audit)
    f.published_report(other_audit)
    requests = {r.pk: r for r in [*audit.requests.all(), *other_audit.requests.all()]}
    everything = {
        "audit_id": [audit.pk, planning_audit.pk, other_audit.pk],
        "action_id": [action.pk for action in actions.values()],
        "request_id": list(requests),
        "number": [1],
    }
    if request.param == "coordinator":
        reachable = {"audit_id": [audit.pk, planning_audit.pk]}
        reachable["action_id"] = [actions["police"].pk, actions["csc"].pk]
        reachable["request_id"] = [pk for pk, r in requests.items() if r.audit_id == audit.pk]
    else:
        reachable = {"audit_id": [audit.pk], "action_id": [actions["police"].pk]}
        reachable["request_id"] = [
            pk for pk, r in requests.items() if r.agency_id == draft.agency_id
        ]
    reachable["number"] = [1]
    user = request.getfixturevalue(request.param)
    return {
        "role": request.param,
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
    # Changes sent from the current version, sometimes, so that they can succeed.
    if (
        case.method in {"POST", "PUT"}
        and isinstance(case.body, dict)
        and not _negative_at(case, ParameterLocation.BODY)
        and data.draw(st.booleans(), label="current version")
    ):
        action_id = (case.path_parameters or {}).get("action_id")
        request_id = (case.path_parameters or {}).get("request_id")
        if action_id in ids["action_id"]:
            case.body["version"] = Action.objects.get(pk=action_id).version
        elif request_id in ids["request_id"]:
            return_ = Return.objects.filter(request_id=request_id).first()
            version = return_.version if return_ else None
            case.body["version"] = 1 if version is None and case.method == "POST" else version


@schema.given(data=st.data())
@schema.parametrize()
# The tokens and objects are made once per operation and role; the examples share them (what
# the writes change along the way, a version, a draft, an audit imported, stays inside this
# test's transaction; the versions are read afresh).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_to_its_document(case, data, caller):
    count_case(case.operation.label, caller["role"])
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
