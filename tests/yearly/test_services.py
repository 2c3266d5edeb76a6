"""The yearly report's period, its words and its way to publication."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from maca import access
from maca.errors import DomainError
from maca.reports.models import NameToCatch
from maca.yearly import services
from maca.yearly.document import yearly_document
from maca.yearly.models import YearlyEdition
from maca.yearly.selectors import yearly_state

TODAY = datetime.date.today()

START = TODAY - datetime.timedelta(days=364)


@pytest.fixture
def report(partnership, coordinator):
    return services.yearly_report_create(
        partnership=partnership, start=START, end=TODAY, by=coordinator
    )


def _digest(report, user):
    viewer = access.viewer_as(user, report.partnership)
    return yearly_state(report, yearly_document(report, viewer)).digest


def test_a_period_must_end_after_it_starts(partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        services.yearly_report_create(
            partnership=partnership, start=TODAY, end=TODAY, by=coordinator
        )
    assert refused.value.field == "end"


def test_a_period_may_not_overlap_another(partnership, coordinator, report):
    with pytest.raises(DomainError) as refused:
        services.yearly_report_create(
            partnership=partnership,
            start=TODAY - datetime.timedelta(days=10),
            end=TODAY + datetime.timedelta(days=300),
            by=coordinator,
        )
    assert refused.value.field == "start"
    assert report.title in refused.value.message
    # The next period, from the day after, is fine.
    services.yearly_report_create(
        partnership=partnership,
        start=TODAY + datetime.timedelta(days=1),
        end=TODAY + datetime.timedelta(days=365),
        by=coordinator,
    )


def test_only_coordinators_write_a_yearly_report(partnership, board_member):
    with pytest.raises(DomainError):
        services.yearly_report_create(
            partnership=partnership, start=START, end=TODAY, by=board_member
        )


def test_words_are_kept_and_a_save_from_an_older_version_is_refused(
    report, coordinator, second_coordinator
):
    services.yearly_section_save(
        report=report,
        key="changes",
        text="Children were seen alone more often.",
        version=0,
        by=coordinator,
    )
    with pytest.raises(services.SectionConflict):
        services.yearly_section_save(
            report=report,
            key="changes",
            text="Something else.",
            version=0,
            by=second_coordinator,
        )
    document = yearly_document(report, access.viewer_as(coordinator, report.partnership))
    [changes] = [s for s in document["sections"] if s["key"] == "changes"]
    assert changes["words"] == "Children were seen alone more often."
    assert changes["edited"] and changes["version"] == 1


def test_the_author_may_not_approve_their_own_report(report, coordinator, second_coordinator):
    services.yearly_report_send(report=report, by=coordinator)
    with pytest.raises(DomainError, match="second coordinator"):
        services.yearly_report_approve(
            report=report, digest=_digest(report, coordinator), by=coordinator
        )
    services.yearly_report_approve(
        report=report, digest=_digest(report, second_coordinator), by=second_coordinator
    )
    report.refresh_from_db()
    assert report.approved_by == second_coordinator


def test_publishing_needs_approval_and_no_name_to_catch(
    partnership, report, coordinator, second_coordinator
):
    with pytest.raises(DomainError, match="approving"):
        services.yearly_report_publish(
            report=report, digest=_digest(report, coordinator), by=coordinator
        )
    services.yearly_section_save(
        report=report,
        key="changes",
        text="The work with Jayden Smithers went well.",
        version=0,
        by=coordinator,
    )
    services.yearly_report_send(report=report, by=coordinator)
    NameToCatch.objects.create(partnership=partnership, name="Jayden Smithers")
    with pytest.raises(services.IdentifiersFound):
        services.yearly_report_approve(
            report=report, digest=_digest(report, second_coordinator), by=second_coordinator
        )
    services.yearly_section_save(
        report=report,
        key="changes",
        text="The work with families went well.",
        version=1,
        by=coordinator,
    )
    digest = _digest(report, second_coordinator)
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    edition = services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    assert edition.number == 1 and edition.digest == digest
    assert YearlyEdition.objects.get().document["meta"]["title"] == f"From {report.title}"


def test_publishing_is_refused_when_a_name_to_catch_appears_after_approval(
    partnership, report, coordinator, second_coordinator
):
    services.yearly_section_save(
        report=report,
        key="summary",
        text="Work with the riverside school improved.",
        version=0,
        by=coordinator,
    )
    services.yearly_report_send(report=report, by=coordinator)
    digest = _digest(report, second_coordinator)
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    NameToCatch.objects.create(partnership=partnership, name="Riverside")
    with pytest.raises(services.IdentifiersFound):
        services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    assert not YearlyEdition.objects.exists()


def test_the_board_reads_published_editions_only(
    partnership, report, coordinator, second_coordinator, board_member
):
    board = access.viewer_as(board_member, partnership)
    assert not access.yearly_reports_for(board).exists()
    services.yearly_report_send(report=report, by=coordinator)
    digest = _digest(report, second_coordinator)
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    assert not access.yearly_reports_for(board).exists()
    services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    assert list(access.yearly_reports_for(board)) == [report]
    assert access.yearly_editions_for(board, report).count() == 1


def test_an_edition_is_never_changed(partnership, report, coordinator, second_coordinator):
    services.yearly_report_send(report=report, by=coordinator)
    digest = _digest(report, second_coordinator)
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    edition = services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    from maca.errors import Kept

    with pytest.raises(Kept):
        edition.save()
    with pytest.raises(Kept):
        edition.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE yearly_yearlyedition SET document = '{}' WHERE report_id = %s",
        "DELETE FROM yearly_yearlyedition WHERE report_id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_to_change_an_edition_even_in_raw_sql(
    report, coordinator, second_coordinator, statement
):
    services.yearly_report_send(report=report, by=coordinator)
    digest = _digest(report, second_coordinator)
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    with (
        pytest.raises(DatabaseError, match="is published: it is never changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [report.pk])
    assert YearlyEdition.objects.get().document["meta"]["title"] == f"From {report.title}"
