"""Tamper evidence: the change history and the access log are hash-chained per partnership, and
`maca verify-history` names the first broken record of each chain.

The issue's test: 100 of 100 single-byte tampers are caught. A history is made with real
writes; then, 100 times, one character of one stored field of one record (chosen by a seeded
random) is changed by raw SQL, bypassing the models (and on PostgreSQL the append-only
trigger), verify-history must fail naming that record, and the value is put back.
"""

import io
import json
import random
import string

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.history.chain import content_digest, hashed_fields, record_hash
from maca.history.models import AccessRecord, AppendOnly, ChainHead, ChangeRecord
from maca.history.tracking import actor
from maca.meetings.models import Ratification
from tests import factories as f
from tests.support.chain import names, verify
from tests.support.chain import raw_execute as _execute

TAMPERS = 100
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def history(audit, other_audit, coordinator, police_auditor, client_for):
    """Both partnerships' change histories and access logs, from real writes and reads."""
    case = audit.cases.get(reference="T-E-01")
    with actor(coordinator, reason="the meeting agreed it"):
        f.RatificationFactory(case=case, grade="good")
        ratification = Ratification.objects.get(case=case)
        ratification.grade = "requires_improvement"
        ratification.reason = "Drift in the plan: «no review» after March"
        ratification.save()
        theme = audit.themes.first()
        theme.cases.add(case)
        f.ActionFactory(recommendation=f.RecommendationFactory(audit=audit)).delete()
    police = audit.partnership.agencies.get(name="Police")
    return_url = reverse("audits:return", args=[audit.pk, case.pk, police.pk])
    for user in (coordinator, police_auditor):
        assert client_for(user).get(return_url).status_code == 200
    client_for(coordinator).get(reverse("audits:case_summary", args=[audit.pk, case.pk]))
    call_command("export_bundle", str(other_audit.pk), stdout=io.StringIO())
    assert ChangeRecord.objects.count() > 20 and AccessRecord.objects.count() >= 4


# --- Changing stored values by raw SQL --------------------------------------------------------


def _stored(model, field, record_id) -> str | None:
    table, column = model._meta.db_table, field.column
    (row,) = _execute(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = %s", [record_id])
    return row[0]


def _write(model, field, record_id, text: str, *, where_id=None) -> None:
    table, column = model._meta.db_table, field.column
    value = f"CAST(%s AS {field.db_type(connection)})" if POSTGRESQL else "%s"
    if not POSTGRESQL and field.get_internal_type() in {"BigAutoField", "BigIntegerField"}:
        text = int(text)
    if not POSTGRESQL and field.is_relation:
        text = int(text)
    _execute(f"UPDATE {table} SET {column} = {value} WHERE id = %s", [text, where_id or record_id])


def _other(char: str, rng: random.Random, *, first_digit=False) -> str:
    if char.isdigit():
        pool = "123456789" if first_digit else string.digits
    elif char.isupper():
        pool = string.ascii_uppercase
    else:
        pool = string.ascii_lowercase
    return rng.choice([c for c in pool if c != char])


def _positions(field, text: str) -> list[int]:
    """Where one character can change and the value stay valid for its column."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        # Letters and digits inside JSON strings without escapes: the JSON stays JSON.
        spots, inside, start = [], False, 0
        for i, char in enumerate(text):
            if char == '"':
                if inside and "\\" not in text[start:i]:
                    spots += [j for j in range(start, i) if text[j].isascii() and text[j].isalnum()]
                inside, start = not inside, i + 1
        return spots
    if kind == "DateTimeField":
        # The seconds' units and the fraction: any digit there is still a valid time.
        seconds = text.index(":", text.index(":") + 1) + 2
        end = len(text.split("+")[0]) if "+" in text[seconds:] else len(text)
        return [i for i in range(seconds, end) if text[i].isdigit()]
    return [i for i, char in enumerate(text) if char.isascii() and char.isalnum()]


def tamper(rng: random.Random, model, record_id: int, field) -> tuple[int, callable] | None:
    """Change one character of the stored field; returns the record's id as it now is and a
    function that puts it back."""
    text = _stored(model, field, record_id)
    for _ in range(20):
        i = rng.choice(_positions(field, text))
        changed = text[:i] + _other(text[i], rng, first_digit=i == 0) + text[i + 1 :]
        if field.attname != "id" or not model.objects.filter(pk=int(changed)).exists():
            break
    else:
        return None  # an id whose every one-digit change is taken: choose another record
    _write(model, field, record_id, changed)
    now_id = int(changed) if field.attname == "id" else record_id

    def restore():
        _write(model, field, record_id, text, where_id=now_id)

    return now_id, restore


def _choices() -> dict[tuple, list[int]]:
    """For each (table, field), the records with a value that has a character to change."""
    choices = {}
    for model in (ChangeRecord, AccessRecord):
        for field in model._meta.concrete_fields:
            choices[model, field] = [
                pk
                for pk in model.objects.order_by("pk").values_list("pk", flat=True)
                if (text := _stored(model, field, pk)) is not None and _positions(field, text)
            ]
    return {key: pks for key, pks in choices.items() if pks}


def test_100_of_100_single_character_tampers_are_caught(history):
    assert verify()[0]
    rng = random.Random(9)
    choices = _choices()
    fields = sorted(choices, key=lambda k: (k[0].__name__, k[1].attname))
    # Every field once, in a random order, then fields at random; each time a random record.
    order = rng.sample(fields, len(fields))
    tried = []
    while len(tried) < TAMPERS:
        model, field = order[len(tried)] if len(tried) < len(order) else rng.choice(fields)
        pk = rng.choice(choices[model, field])
        tampered = tamper(rng, model, pk, field)
        if tampered is None:
            continue
        now_id, restore = tampered
        intact, output = verify()
        assert not intact and names(output, model, now_id), (
            f"not caught: {model.__name__} {pk} {field.attname}\n{output}"
        )
        tried.append((model.__name__, field.attname))
        restore()
        assert verify()[0], f"not restored: {model.__name__} {pk} {field.attname}"
    assert len(tried) == TAMPERS
    # Every field with a value to change was tampered with at least once.
    assert set(tried) == {(m.__name__, field.attname) for m, field in choices}


def test_it_passes_with_one_line_when_every_chain_holds(history):
    intact, output = verify()
    assert intact
    assert output.count("\n") == 1 and output.startswith("History verified: 4 chains")


def test_a_deleted_record_is_caught_naming_the_next(history, partnership):
    first, second, third = ChangeRecord.objects.filter(partnership=partnership).order_by("id")[:3]
    _execute("DELETE FROM history_changerecord WHERE id = %s", [second.pk])
    intact, output = verify()
    assert not intact and names(output, ChangeRecord, third.pk)
    assert f"does not match record {first.pk}" in output


def test_the_last_record_deleted_is_caught_by_the_head(history, partnership):
    last = AccessRecord.objects.filter(partnership=partnership).order_by("id").last()
    _execute("DELETE FROM history_accessrecord WHERE id = %s", [last.pk])
    intact, output = verify()
    assert not intact
    assert f"history_accessrecord, partnership {partnership.pk}, its end" in output
    assert f"head names record {last.pk}" in output


def _insert(values: dict) -> None:
    """Insert a ChangeRecord by raw SQL, its digest and hash computed as maca computes them."""
    content = {name: values[name] for name in ChangeRecord.CONTENT_FIELDS}
    values = values | {"content_digest": content_digest(content)}
    values |= {"hash": record_hash({name: values[name] for name in hashed_fields(ChangeRecord)})}
    columns = [ChangeRecord._meta.get_field(name).column for name in values]
    params = [
        json.dumps(v)
        if isinstance(v, dict | list)
        else connection.ops.adapt_datetimefield_value(v)
        if name == "at"
        else v
        for name, v in values.items()
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    _execute(
        f"INSERT INTO history_changerecord ({', '.join(columns)}) VALUES ({placeholders})",
        params,
    )


def _values(record) -> dict:
    names = [*hashed_fields(ChangeRecord), *ChangeRecord.CONTENT_FIELDS]
    return {name: getattr(record, name) for name in names}


def test_a_forged_record_at_the_end_is_caught_even_with_a_correct_hash(history, partnership):
    """Someone who knows the algorithm appends a record linked to the last one: the head
    (moved only by maca) still names the last real record."""
    last = ChangeRecord.objects.filter(partnership=partnership).order_by("id").last()
    forged_id = ChangeRecord.objects.order_by("id").last().pk + 1
    _insert(
        _values(last)
        | {"id": forged_id, "previous_hash": last.hash, "reason": "forged", "after": {"x": 1}}
    )
    intact, output = verify()
    assert not intact and f"head names record {last.pk}" in output


def test_a_record_replaced_by_a_forged_one_is_caught_naming_the_next(history, partnership):
    """A record removed and a forged one put in its place (same id, linked to the record
    before it, its hash recomputed): the next record's link no longer matches."""
    records = list(ChangeRecord.objects.filter(partnership=partnership).order_by("id"))
    before, replaced, after = records[3], records[4], records[5]
    _execute("DELETE FROM history_changerecord WHERE id = %s", [replaced.pk])
    _insert(_values(replaced) | {"previous_hash": before.hash, "reason": "nothing happened"})
    intact, output = verify()
    assert not intact and names(output, ChangeRecord, after.pk)


def test_a_new_record_links_to_the_last_and_moves_the_head(audit, coordinator):
    record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
    head = ChainHead.objects.get(partnership=audit.partnership, table="history_accessrecord")
    last_id, last_hash = head.last_id, head.last_hash
    record = record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
    head.refresh_from_db()
    assert (record.previous_hash, head.last_id, head.last_hash) == (
        last_hash,
        record.pk,
        record.hash,
    )
    assert last_id < record.pk


def test_appending_costs_two_queries_more_than_the_insert(
    audit, coordinator, django_assert_num_queries
):
    record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)  # the head exists
    with django_assert_num_queries(3):  # lock the head (and take an id), insert, move the head
        record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)


def test_the_access_log_cannot_be_edited_or_deleted(audit):
    record = record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
    for attempt in (
        record.save,
        record.delete,
        lambda: AccessRecord.objects.update(kind="return"),
        lambda: AccessRecord.objects.all().delete(),
        lambda: AccessRecord.objects.bulk_create([AccessRecord(audit_id=1)]),
    ):
        with pytest.raises(AppendOnly):
            attempt()


@pytest.mark.skipif(not POSTGRESQL, reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_the_access_log_even_in_raw_sql(audit):
    record = record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
    for sql in (
        "UPDATE history_accessrecord SET kind = 'return' WHERE id = %s",
        "DELETE FROM history_accessrecord WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.pk])
    assert AccessRecord.objects.filter(pk=record.pk, kind="bundle").exists()


def test_a_purge_record_naming_no_audit_by_number_does_not_stop_the_check(audit):
    # An audit id is ASCII digits; "²" passes str.isdigit() and fails int().
    ChangeRecord.objects.create(
        partnership=audit.partnership,
        audit_id=audit.pk,
        object_type="audits.audit",
        object_id="²",
        object_repr=audit.title,
        action="update",
        via="retention",
    )
    intact, output = verify()
    assert intact, output
