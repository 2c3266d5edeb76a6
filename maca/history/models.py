from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    """Raised on any attempt to change or remove a history entry."""


class ChangeRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the change history cannot be edited")

    def delete(self):
        raise AppendOnly("the change history cannot be deleted")


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class ChangeRecord(models.Model):
    """One change to a tracked row: who, when, before, after, why. Append-only.

    On PostgreSQL a trigger refuses UPDATE and DELETE on this table as well.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    # A plain id, not a foreign key: the history of an audit outlives the audit.
    audit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=40, default="web")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id} at {self.at}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the change history cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the change history cannot be deleted")

    @property
    def object_label(self) -> str:
        """The kind of thing changed, in words ("return", "ratification")."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except LookupError:
            return self.object_type

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs; everything for create/delete.

        An agency's own record numbers are kept in the record but never shown: only that
        agency may see them, and the timeline is the coordinator's.
        """
        before, after = self.before or {}, self.after or {}
        names = sorted(set(before) | set(after))
        return [
            (name, *_shown(name, before.get(name), after.get(name)))
            for name in names
            if before.get(name) != after.get(name)
        ]


HIDDEN = {"agency_record_number", "record_numbers"}


def _shown(name: str, before, after) -> tuple[object, object]:
    if name not in HIDDEN:
        return before, after
    return tuple("(an agency's own record: hidden)" if v else None for v in (before, after))
