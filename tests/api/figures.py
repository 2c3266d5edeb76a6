"""The Schemathesis run in figures, printed at the end of the test session:

    Schemathesis: 25 operations, 2 callers, 5,400 cases (at least 100 per operation and
    caller), 0 failures

`test_schemathesis.py` counts each case it runs (`count_case`); a failed test of it counts
as a failure. Under pytest-xdist each worker sends its counts to the controller, which adds
them up and prints the line. Registered from tests/conftest.py (`pytest_plugins`).
"""

import json
from collections import Counter

import pytest

TEST = "tests/api/test_schemathesis.py::"
KEY = "maca_schemathesis"

cases: Counter = Counter()  # (operation, caller) -> cases run
failures: set[str] = set()  # node ids


def count_case(operation: str, caller: str) -> None:
    cases[operation, caller] += 1


def pytest_runtest_logreport(report):
    if report.nodeid.startswith(TEST) and report.failed:
        failures.add(report.nodeid)


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the counts to the controller
        workeroutput[KEY] = json.dumps(
            {"cases": [[*key, n] for key, n in cases.items()], "failures": sorted(failures)}
        )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    sent = getattr(node, "workeroutput", {}).get(KEY)
    if sent:
        counts = json.loads(sent)
        for operation, caller, n in counts["cases"]:
            cases[operation, caller] += n
        failures.update(counts["failures"])


def figures() -> str | None:
    if not cases:
        return None
    operations = {operation for operation, _ in cases}
    callers = {caller for _, caller in cases}
    return (
        f"Schemathesis: {len(operations)} operations, {len(callers)} callers, "
        f"{sum(cases.values()):,} cases (at least {min(cases.values()):,} per operation and "
        f"caller), {len(failures)} failures"
    )


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "workeroutput", None) is not None:
        return
    line = figures()
    if line:
        terminalreporter.write_sep("-", "Schemathesis")
        terminalreporter.write_line(line)
