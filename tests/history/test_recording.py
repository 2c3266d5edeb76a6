import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from maca.actions.models import Action
from maca.audits.models import Audit, Case
from maca.history.models import AppendOnly, ChangeRecord
from maca.history.tracking import Tracked, actor
from maca.meetings.models import AuditTheme, Ratification
from maca.returns.models import Return
from tests import factories as f

# What the foundation issue names: every change to these is recorded.
REQUIRED = {Audit, Case, Return, Ratification, AuditTheme, Action}


def records_for(obj):
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("id")


def test_the_named_models_are_tracked():
    tracked = {m for m in apps.get_models() if issubclass(m, Tracked)}
    assert tracked >= REQUIRED


FACTORIES = {
    Audit: (f.AuditFactory, "title", "A new title"),
    Case: (f.CaseFactory, "reference", "T-X-99"),
    Return: (f.ReturnFactory, "good_practice", "The school noticed the change in mood."),
    Ratification: (f.RatificationFactory, "grade", "requires_improvement"),
    AuditTheme: (f.AuditThemeFactory, "description", "Seen in four cases"),
    Action: (f.ActionFactory, "status", "complete"),
}


@pytest.mark.parametrize(
    "model", sorted(FACTORIES, key=lambda m: m.__name__), ids=lambda m: m.__name__
)
def test_create_update_delete_are_recorded_with_who_before_after_and_why(model, db, coordinator):
    factory, field, value = FACTORIES[model]
    with actor(coordinator, reason="set up for the test"):
        obj = factory()
    obj = model.objects.get(pk=obj.pk)
    with actor(coordinator, reason="the meeting changed it"):
        setattr(obj, field, value)
        obj.save()
    pk = obj.pk
    with actor(coordinator, reason="removed in error"):
        obj.delete()
    obj.pk = pk

    created, updated, deleted = records_for(obj)
    assert (created.action, updated.action, deleted.action) == ("create", "update", "delete")
    assert created.before is None and created.after[_attname(model, field)] is not None
    assert updated.before[_attname(model, field)] != value
    assert updated.after[_attname(model, field)] == value
    assert updated.user == coordinator and updated.reason == "the meeting changed it"
    assert deleted.after is None and deleted.before[_attname(model, field)] == value
    assert created.partnership_id == obj.partnership_id
    assert created.audit_id is not None  # so the audit's timeline shows it


def _attname(model, field):
    return model._meta.get_field(field).attname


def test_a_save_that_changes_nothing_records_nothing(db, coordinator):
    audit = f.AuditFactory()
    audit = Audit.objects.get(pk=audit.pk)
    before = ChangeRecord.objects.count()
    audit.save()
    assert ChangeRecord.objects.count() == before


def test_a_change_without_an_actor_is_recorded_as_the_system(db):
    audit = f.AuditFactory()
    (record,) = records_for(audit)
    assert record.user is None and record.via == "system"


def test_theme_cases_changes_are_recorded(db, coordinator):
    theme = f.AuditThemeFactory()
    case = f.CaseFactory(audit=theme.audit)
    with actor(coordinator):
        theme.cases.add(case)
        theme.cases.remove(case)
    added, removed = records_for(theme).filter(action="update")
    assert added.before == {"cases": []} and added.after == {"cases": [case.pk]}
    assert removed.before == {"cases": [case.pk]} and removed.after == {"cases": []}


def test_history_cannot_be_edited_or_deleted(db):
    (record,) = records_for(f.AuditFactory())
    record.reason = "rewritten"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    with pytest.raises(AppendOnly):
        ChangeRecord.objects.all().update(reason="rewritten")
    with pytest.raises(AppendOnly):
        ChangeRecord.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_history_even_in_raw_sql(db):
    (record,) = records_for(f.AuditFactory())
    for sql in (
        "UPDATE history_changerecord SET reason = 'x' WHERE id = %s",
        "DELETE FROM history_changerecord WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.pk])
    assert ChangeRecord.objects.filter(pk=record.pk, reason="").exists()
