from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.roles import Role

# The chain's head is a model of this app, defined beside the chaining that locks it.
from .chain import ChainHead as ChainHead
from .chain import ChainTable as ChainTable
from .chain import appended


class AppendOnly(Exception):
    """Raised on any attempt to change or remove a history entry."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the history cannot be edited")

    def delete(self):
        raise AppendOnly("the history cannot be deleted")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnly("history entries are appended one by one, each linked to the last")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("the history cannot be edited")


class Chained(models.Model):
    """An append-only record, hash-chained per partnership (`maca/history/chain.py`).

    Saving a new record locks its chain's head, links the record to the last one and moves
    the head on, in one transaction; a saved record can never be saved again or deleted. On
    PostgreSQL a trigger refuses UPDATE and DELETE as well.
    """

    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    # Fields the chain covers through their digest (`content_digest`) rather than directly, so
    # that they can be redacted under the retention policy without breaking the chain; and
    # the field that says a record was (decision 32). None for a model that has no such text.
    CONTENT_FIELDS: tuple[str, ...] = ()
    REDACTION_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the history cannot be edited")
        with appended(self):
            super().save(force_insert=True, using=kwargs.get("using"))

    def delete(self, *args, **kwargs):
        raise AppendOnly("the history cannot be deleted")


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class ChangeRecord(Chained):
    """One change to a tracked row: who, when, before, after, why. Append-only, chained.

    On PostgreSQL a trigger refuses UPDATE and DELETE on this table as well, except the one
    update the retention policy makes: case-level text in the content fields replaced by the
    removal notice, and `redacted_at` set (`maca/history/redaction.py`).
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
    # Set as the record joins its chain (not auto_now_add, which is set after the hash is).
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # SHA-256 of the content fields as written; the chain hashes this, not the content.
    content_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    # When the retention policy removed case-level text from the content fields.
    redacted_at = models.DateTimeField(null=True, blank=True, editable=False)

    CONTENT_FIELDS = ("object_repr", "before", "after", "reason")
    REDACTION_FIELDS = ("redacted_at",)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id} at {self.at}"

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
        agency may see them, and the timeline is the coordinator's. A value from a fixed set
        (a status, a grade) is shown by its label, as the pages show it: a request's stored
        `outstanding` is "Not returned", not a grade (decision 44).
        """
        before, after = self.before or {}, self.after or {}
        names = sorted(set(before) | set(after))
        labels = _choice_labels(self.object_type)
        return [
            (name, *_shown(name, labels.get(name, {}), before.get(name), after.get(name)))
            for name in names
            if before.get(name) != after.get(name)
        ]


HIDDEN = {"agency_record_number", "record_numbers"}


def _choice_labels(object_type: str) -> dict[str, dict]:
    from django.apps import apps

    try:
        fields = apps.get_model(object_type)._meta.concrete_fields
    except LookupError:
        return {}
    return {field.attname: dict(field.flatchoices) for field in fields if field.choices}


def _shown(name: str, labels: dict, before: object, after: object) -> tuple[object, object]:
    def shown(value: object) -> object:
        if name in HIDDEN:
            return "(an agency's own record: hidden)" if value else None
        return labels.get(value, value) if isinstance(value, str) else value

    return shown(before), shown(after)


class AccessKind(models.TextChoices):
    """What case-level data was seen (decision 29 lists the pages)."""

    RETURN = "return", "Return"
    CASE_SUMMARY = "case_summary", "Case summary"
    CASE_SUMMARIES = "case_summaries", "Case summaries (every case)"
    MEETING_CASE = "meeting_case", "Meeting: the case's page"
    RATIFICATIONS = "ratifications", "Ratifications (every case)"
    MEETING_PACK = "meeting_pack", "Meeting pack (every case)"
    REPORT_DRAFT = "report_draft", "Report before publication"
    REPORT_FILE = "report_file", "Report file before publication"
    BUNDLE = "bundle", "Audit bundle (every case)"
    HISTORY = "history", "Change history (every case)"
    ANSWERS = "answers", "The audit tool's answers (every case)"
    FEEDBACK_PACK = "feedback_pack", "Agency feedback pack (the agency's cases)"


class AccessHow(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    API = "api", "Read through the API"
    COMMAND = "command", "Written by a command"


class AccessRecord(Chained):
    """Someone saw case-level data: who, what, when, how. Ids only: never a name, a case
    reference or any text of the case. Append-only, chained."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    # None: a command run on the server (`maca export-bundle`), not a person signed in.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)  # the membership they acted through
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    how = models.CharField(max_length=10, choices=AccessHow.choices)
    # Plain ids, as in the change history: the log outlives the audit.
    audit_id = models.BigIntegerField(db_index=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)

    # Kinds recorded for the whole audit (case None) that show every case's text.
    EVERY_CASE = (
        AccessKind.CASE_SUMMARIES,
        AccessKind.RATIFICATIONS,
        AccessKind.MEETING_PACK,
        AccessKind.BUNDLE,
        AccessKind.HISTORY,
        AccessKind.ANSWERS,
        # Its agency's cases only, recorded for the audit: shown on each case's log.
        AccessKind.FEEDBACK_PACK,
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.how} by user {self.user_id} at {self.at}"

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role
