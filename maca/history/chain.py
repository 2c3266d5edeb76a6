"""The hash chains that make the change history and the access log tamper-evident.

One chain per partnership per table. Each record stores the hash of the record before it
(`previous_hash`, empty for the first) and its own `hash`: SHA-256 over the previous hash and
a canonical serialisation of every other field of the record, its id included (sorted-key
JSON). A change record's content (what changed and why: the fields that can hold a child's
case text) enters the hash through its own SHA-256, `content_digest`, so that the retention
policy can remove that text and the chain still hold (decision 32): verification recomputes
the digest from the content, unless the record was redacted, and then checks that a purge of
its audit, recorded later in the same chain, allowed it. Changing any stored byte of a record
breaks its hash (or its digest); removing or inserting a record
breaks the link of the next one; removing the last breaks the chain's head (`ChainHead`),
which names the last record and its hash.

Appending costs two queries besides the INSERT: one that locks the head and takes the new
record's id (so the id can be hashed before the row is written), one that moves the head on.
The head stays locked until the writer's transaction ends, so two writers in one partnership
take turns and cannot both link to the same record.

`verification.py` walks the chains. What it does not stop: someone with write access to the
database who rewrites a whole chain and its head. `maca verify-history` prints each chain's
head hash so that it can be kept elsewhere (a log server, a ticket) and compared later.
"""

import datetime
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, models, router, transaction
from django.utils import timezone

GENESIS = ""  # the previous hash of a chain's first record


class ChainTable(models.TextChoices):
    CHANGES = "history_changerecord", "change history"
    ACCESS = "history_accessrecord", "access log"


class ChainHead(models.Model):
    """The end of one chain (a partnership's change history, or its access log): its last
    record and that record's hash. Locked while a record is appended, so two writers cannot
    both link to the same record; verification checks the chain ends where its head says."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    table = models.CharField(max_length=40, choices=ChainTable.choices)
    last_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "table"], name="one_head_per_chain")
        ]

    def __str__(self) -> str:
        return f"{self.table} of partnership {self.partnership_id}: last {self.last_id}"


def hashed_fields(model) -> list[str]:
    """Every stored field of a record the hash covers directly: all but its own hash, its
    content (covered by `content_digest`) and its redaction mark, by attribute name."""
    left_out = {"hash", *model.CONTENT_FIELDS, *model.REDACTION_FIELDS}
    return [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def record_hash(values: dict) -> str:
    """SHA-256 of the previous hash and the record's fields as sorted-key JSON."""
    canonical = json.dumps(
        {name: _plain(value) for name, value in values.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{values['previous_hash']}\n{canonical}".encode()).hexdigest()


def content_digest(values: dict) -> str:
    """SHA-256 of a record's content fields as sorted-key JSON."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _content(model, record) -> dict:
    return {name: getattr(record, name) for name in model.CONTENT_FIELDS}


@dataclass
class _Head:
    pk: int
    last_id: int | None
    last_hash: str


def _lock_head(connection, table: str, partnership_id: int) -> tuple[_Head, int] | None:
    """Lock the chain's head and take an id for the new record, in one query."""
    # Only the models' own table names are put into the SQL; the values are parameters.
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        next_id = f"nextval(pg_get_serial_sequence('{quote(table)}', 'id'))"
        lock = " FOR UPDATE"
    else:
        # SQLite lets one writer in at a time; MAX(id) + 1 is the next id of an append-only
        # table (AUTOINCREMENT only promises ids it chooses itself are higher).
        next_id = f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {quote(table)})"  # noqa: S608
        lock = ""
    sql = (
        f"SELECT id, last_id, last_hash, {next_id} FROM {quote(ChainHead._meta.db_table)} "  # noqa: S608
        f"WHERE partnership_id = %s AND {quote('table')} = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership_id, table])
        row = cursor.fetchone()
    if row is None:
        return None
    return _Head(pk=row[0], last_id=row[1], last_hash=row[2]), row[3]


@contextmanager
def appended(record):
    """Link `record` (a new `Chained` row) to the end of its chain; the block inserts it.

    Atomic without a savepoint (a savepoint would cost two more queries a write): if the
    insert fails, the transaction around it fails too, as it would have anyway.
    """
    model = type(record)
    table = model._meta.db_table
    alias = router.db_for_write(model)
    connection = connections[alias]
    with transaction.atomic(using=alias, savepoint=False):
        locked = _lock_head(connection, table, record.partnership_id)
        if locked is None:
            # The chain's first record: make its head (once per partnership and table).
            ChainHead.objects.using(alias).get_or_create(
                partnership_id=record.partnership_id, table=table
            )
            locked = _lock_head(connection, table, record.partnership_id)
        head, record.id = locked
        record.at = timezone.now()
        record.previous_hash = head.last_hash
        if model.CONTENT_FIELDS:
            record.content_digest = content_digest(_content(model, record))
        record.hash = record_hash({name: getattr(record, name) for name in hashed_fields(model)})
        yield
        ChainHead.objects.using(alias).filter(pk=head.pk).update(
            last_id=record.id, last_hash=record.hash
        )
