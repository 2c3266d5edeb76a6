"""The dashboard's slow parts kept across workers and restarts (maca/learning/kept.py): the
board's protected counts and every chart, made once, found again by a process that has never
made them, and never stale."""

import io
import pickle
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from maca import access, disclosure
from maca.learning import charts, figures, kept, presenting
from maca.learning.warming import dashboards_warm
from maca.tables import Fewer, Withheld
from tests import factories as f

from . import scene

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def built(partnership, areas, agencies):
    built = scene.build(partnership, areas, agencies)
    f.published_report(built[scene.ABUSE])  # every audit counted for the board too
    return built


def svgs(response) -> list[str]:
    return re.findall(r"<svg.*?</svg>", response.content.decode(), re.S)


def restarted():
    """What a new process knows: nothing in memory, only what the shared cache holds."""
    kept.chart_svg.cache_clear()
    disclosure._protect.cache_clear()


@pytest.fixture
def no_making(monkeypatch):
    """Making a chart or solving the board's counts fails, as proof that nothing is made."""

    def refuse(*args, **kwargs):
        raise AssertionError("made again, not found kept")

    monkeypatch.setattr(charts, "chart_svg", refuse)
    monkeypatch.setattr(disclosure, "protect", refuse)


@pytest.mark.parametrize("reader", ["coordinator", "board_member"])
def test_a_new_process_finds_the_dashboard_made(built, reader, request, client_for):
    client = client_for(request.getfixturevalue(reader))
    restarted()  # nothing from an earlier test in this process's memory
    first = [client.get(f"/dashboard/{topic.slug}/") for topic in presenting.TOPICS]
    restarted()

    request.getfixturevalue("no_making")
    again = [client.get(f"/dashboard/{topic.slug}/") for topic in presenting.TOPICS]

    assert {r.status_code for r in again} == {r.status_code for r in first} == {200}
    assert sum(len(svgs(response)) for response in again) == 6
    assert [svgs(response) for response in again] == [svgs(response) for response in first]


def test_warming_makes_both_readings_before_anyone_asks(
    built, partnership, coordinator, board_member, client_for
):
    restarted()
    cache.clear()

    assert dashboards_warm(partnership.pk) == 2  # the coordinators' and the board's

    restarted()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "chart_svg", lambda *a: pytest.fail("drawn on request"))
        patch.setattr(disclosure, "protect", lambda *a, **k: pytest.fail("solved on request"))
        for topic in presenting.TOPICS:
            assert client_for(board_member).get(f"/dashboard/{topic.slug}/").status_code == 200


def test_new_figures_are_a_new_key_so_nothing_stale_is_shown(built, coordinator):
    viewer = access.viewer_as(coordinator)
    before = figures.dashboard_for(viewer)
    matrix = next(t for t in before.tables if t.key == figures.THEME_MATRIX)
    kept.chart_svg(matrix)

    audit = built[scene.ABUSE]
    f.RatificationFactory(
        case=f.CaseFactory(audit=audit, reference="NEW-01", area=audit.cases.first().area)
    )
    after = figures.dashboard_for(viewer)

    changed = [
        table for old, table in zip(before.tables, after.tables, strict=True) if old != table
    ]
    assert changed
    assert {kept._key("dashboard-chart", t) for t in changed}.isdisjoint(
        {kept._key("dashboard-chart", t) for t in before.tables}
    )


def test_the_board_tables_are_keyed_whatever_order_the_relations_come_in(built, board_member):
    viewer = access.viewer_as(board_member)
    dashboard = figures.dashboard_for(viewer)
    threshold = viewer.partnership.small_count_threshold
    shown = kept.protect(dashboard.tables, dashboard.relations, threshold=threshold)
    restarted()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(disclosure, "protect", lambda *a, **k: pytest.fail("solved again"))
        again = kept.protect(dashboard.tables, reversed(dashboard.relations), threshold=threshold)

    assert again == shown


def test_hidden_counts_keep_what_they_are_when_kept():
    for cell in (Fewer(3), Fewer(5), Withheld()):
        back = pickle.loads(pickle.dumps(cell))  # noqa: S301
        assert (type(back), back, repr(back)) == (type(cell), cell, repr(cell))
    assert repr(Fewer(3)) != repr("fewer than 3")


def _warmings() -> int:
    return DBTaskResult.objects.filter(task_path=WARM_TASK).count()


WARM_TASK = "maca.learning.warming.dashboards_warm_task"


def test_with_a_background_worker_a_ratification_queues_the_warming(
    built, django_capture_on_commit_callbacks
):
    audit = built[scene.ABUSE]
    case = f.CaseFactory(audit=audit, reference="NEW-02", area=audit.cases.first().area)
    with override_settings(TASKS=DATABASE_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            f.RatificationFactory(case=case)
        assert _warmings() == 1
        with django_capture_on_commit_callbacks(execute=True):
            f.published_report(audit)  # a new edition: the board's figures
        assert _warmings() == 2


def test_without_one_nothing_is_queued_and_the_next_view_makes_it(
    built, django_capture_on_commit_callbacks
):
    audit = built[scene.ABUSE]
    case = f.CaseFactory(audit=audit, reference="NEW-03", area=audit.cases.first().area)
    with django_capture_on_commit_callbacks(execute=True):
        f.RatificationFactory(case=case)

    assert _warmings() == 0


def test_the_command_warms_every_partnership(built, partnership, coordinator, board_member):
    out = io.StringIO()
    call_command("warm_dashboards", stdout=out)

    assert f"Partnership {partnership.pk}: 2 dashboard(s) made" in out.getvalue()
