"""The change history after a purge: `maca verify-history` still passes; a tamper of a record
that was not redacted is still caught, and so is any change to a redacted record's digest or a
record marked redacted without a recorded purge. Only the purge's redaction gets past the
models, and on PostgreSQL past the trigger."""

import pytest
from django.db import DatabaseError, connection, transaction

from maca.history.models import AppendOnly, ChangeRecord
from maca.history.redaction import change_record_redact, removed
from tests.support.chain import names, verify
from tests.support.chain import raw_execute as _execute

from .conftest import apply_retention

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def purged(closed_audit):
    apply_retention()
    assert ChangeRecord.objects.filter(redacted_at__isnull=False).exists()
    closed_audit.refresh_from_db()
    return closed_audit


def _set(record, column: str, value: str) -> None:
    _execute(f"UPDATE history_changerecord SET {column} = %s WHERE id = %s", [value, record.pk])


def test_verify_history_passes_after_the_purge(purged):
    intact, output = verify()
    assert intact, output


def test_a_tamper_of_a_record_not_redacted_is_still_caught(purged):
    record = ChangeRecord.objects.filter(redacted_at__isnull=True, reason__gt="").last()
    _set(record, "reason", record.reason + ".")
    intact, output = verify()
    assert not intact and names(output, ChangeRecord, record.pk)


def test_a_changed_digest_of_a_redacted_record_is_caught(purged):
    record = ChangeRecord.objects.filter(redacted_at__isnull=False).first()
    digest = record.content_digest
    _set(record, "content_digest", ("0" if digest[0] != "0" else "1") + digest[1:])
    intact, output = verify()
    assert not intact and names(output, ChangeRecord, record.pk)


def test_a_record_marked_redacted_without_a_purge_is_caught(purged, other_audit):
    """Someone marks a record of an audit never purged as redacted, to change its content."""
    record = ChangeRecord.objects.filter(audit_id=other_audit.pk).first()
    _execute(
        "UPDATE history_changerecord SET redacted_at = %s, reason = 'nothing' WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(purged.purged_at), record.pk],
    )
    intact, output = verify()
    assert not intact and names(output, ChangeRecord, record.pk)
    assert "no purge of its audit is recorded after it" in output


def test_the_models_refuse_anything_but_a_redaction(closed_audit):
    record = ChangeRecord.objects.filter(audit_id=closed_audit.pk, reason__gt="").first()
    notice = removed(record.at.date())
    for values in (
        {"reason": "a different reason"},
        {"via": "web"},
        {"content_digest": "0" * 64},
        {"after": {"anything": "else"}},
    ):
        with pytest.raises(AppendOnly):
            change_record_redact(record, values=values, at=record.at)
    change_record_redact(record, values={"reason": notice}, at=record.at)
    with pytest.raises(AppendOnly, match="redacted already"):
        change_record_redact(record, values={"reason": notice}, at=record.at)
    with pytest.raises(AppendOnly):
        record.save()


@pytest.mark.skipif(not POSTGRESQL, reason="the trigger is PostgreSQL's")
def test_postgresql_allows_the_redaction_and_refuses_any_other_update_or_delete(purged):
    record = ChangeRecord.objects.filter(redacted_at__isnull=True, reason__gt="").first()
    notice = removed(record.at.date())
    refused = [
        ("UPDATE history_changerecord SET reason = 'changed' WHERE id = %s", []),
        # Redacted, but with other text than the notice, or another column changed too.
        (
            "UPDATE history_changerecord SET reason = 'changed', redacted_at = now() WHERE id = %s",
            [],
        ),
        (
            "UPDATE history_changerecord SET reason = %s, redacted_at = now(), via = 'x' "
            "WHERE id = %s",
            [notice],
        ),
        (
            "UPDATE history_changerecord SET reason = %s, redacted_at = now(), "
            "content_digest = '' WHERE id = %s",
            [notice],
        ),
        (
            "UPDATE history_changerecord SET after = '{\"forged\": 1}', redacted_at = now() "
            "WHERE id = %s",
            [],
        ),
        ("DELETE FROM history_changerecord WHERE id = %s", []),
    ]
    for sql, params in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [*params, record.pk])
    redacted = ChangeRecord.objects.filter(redacted_at__isnull=False).first()
    for sql in (
        "UPDATE history_changerecord SET redacted_at = NULL WHERE id = %s",  # undo a redaction
        "DELETE FROM history_changerecord WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [redacted.pk])
    # The redaction itself goes through.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE history_changerecord SET reason = %s, redacted_at = now() WHERE id = %s",
            [notice, record.pk],
        )
    record.refresh_from_db()
    assert record.reason == notice and record.redacted_at is not None
