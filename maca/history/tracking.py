"""Change history, recorded for every write of a tracked model.

Services say who is acting (and why) with `actor(...)`; the model signals then record each
create, update and delete with the row as it was and as it is, so no write path can forget.
Writes that bypass model signals (`QuerySet.update`, `bulk_create`) are not used on tracked
models; the history tests prove every service records its changes.
"""

import contextvars
import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a User, or None for the system itself
    reason: str = ""
    via: str = "system"


SYSTEM = Actor()
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("maca_actor", default=None)


@contextmanager
def actor(user, *, reason: str = "", via: str = "web"):
    """Attribute the changes made inside the block to `user`, with an optional reason."""
    token = _actor.set(Actor(user=user, reason=reason, via=via))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get() or SYSTEM


class Tracked(models.Model):
    """A model whose every change is recorded. Keeps the row as loaded, to diff against."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._history_loaded = dict(zip(field_names, values, strict=True))
        return instance

    @property
    def history_audit_id(self) -> int | None:
        """The audit whose timeline shows this row's changes."""
        return getattr(self, "audit_id", None)


def _recorded_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)
    ]


def _jsonable(values: dict) -> dict:
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict:
    """The recorded fields of a row, as JSON-ready values keyed by attribute name."""
    return _jsonable({f.attname: getattr(instance, f.attname) for f in _recorded_fields(instance)})


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_history_loaded", None)
    if loaded is None:
        return None
    names = {f.attname for f in _recorded_fields(instance)}
    return _jsonable({k: v for k, v in loaded.items() if k in names})


def _record(instance, action: str, before: dict | None, after: dict | None) -> None:
    from maca.history.models import ChangeRecord

    who = current_actor()
    ChangeRecord.objects.create(
        partnership_id=instance.partnership_id,
        audit_id=instance.history_audit_id,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        before=before,
        after=after,
        reason=who.reason,
        user=who.user,
        via=who.via,
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or hasattr(instance, "_history_loaded"):
        return
    # Saved without having been loaded (built by hand with a pk): fetch what it replaces.
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._history_loaded = (
        {f.attname: getattr(previous, f.attname) for f in sender._meta.concrete_fields}
        if previous
        else None
    )


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = None if created else _loaded_snapshot(instance)
    if before == after:
        return
    _record(instance, "create" if created or before is None else "update", before, after)
    instance._history_loaded = {
        f.attname: getattr(instance, f.attname) for f in sender._meta.concrete_fields
    }


def _post_delete(sender, instance, **kwargs):
    _record(instance, "delete", snapshot(instance), None)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    current = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if action == "pre_clear":
        instance._history_cleared = current
        return
    if action == "post_add":
        before = sorted(set(current) - set(pk_set or ()))
    elif action == "post_remove":
        before = sorted(set(current) | set(pk_set or ()))
    else:
        before = getattr(instance, "_history_cleared", [])
    if before != current:
        _record(instance, "update", {field.attname: before}, {field.attname: current})


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models import signals

    for model in apps.get_models():
        if not issubclass(model, Tracked):
            continue
        uid = f"history:{model._meta.label_lower}"
        signals.pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        signals.post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            signals.m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
            )
