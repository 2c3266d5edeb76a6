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

What it does not stop: someone with write access to the database who rewrites a whole chain
and its head. `maca verify-history` prints each chain's head hash so that it can be kept
elsewhere (a log server, a ticket) and compared later.
"""

import datetime
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone

from .models import ChainHead

GENESIS = ""  # the previous hash of a chain's first record


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


# --- Verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    table: str
    partnership_id: int
    record_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"record {self.record_id}" if self.record_id is not None else "its end"
        return f"{self.table}, partnership {self.partnership_id}, {where}: {self.problem}"


@dataclass(frozen=True)
class ChainResult:
    table: str
    partnership_id: int
    records: int
    head_hash: str
    breaks: tuple[Break, ...]


def _purge(values: dict) -> int | None:
    """The audit whose purge this record records, if it is one (`maca/retention/services.py`)."""
    if values.get("via") == "retention" and values.get("object_type") == "audits.audit":
        object_id = values["object_id"]
        # ASCII digits only: "²" passes isdigit() and fails int().
        return int(object_id) if object_id.isascii() and object_id.isdigit() else None
    return None


def verify_chain(model, partnership_id: int, head: ChainHead | None) -> ChainResult:
    """Walk one chain in id order. Names the first record whose contents do not match its
    hash (altered), and the first whose link to the record before it is broken (a record
    removed, inserted or altered before it), when that is another record; then checks the
    chain ends where its head says. A redacted record must be followed by the recorded purge
    of its audit: otherwise someone marked it redacted to hide a change of its content."""
    table = model._meta.db_table
    names = hashed_fields(model)
    content, marks = list(model.CONTENT_FIELDS), list(model.REDACTION_FIELDS)
    rows = (
        model.objects.filter(partnership_id=partnership_id)
        .order_by("id")
        .values_list(*names, *content, *marks, "hash")
    )
    altered = unlinked = None
    previous_id, previous_hash, count = None, GENESIS, 0
    redacted: dict[int, int] = {}  # record id -> its audit, until the audit's purge is seen
    for row in rows.iterator(chunk_size=2000):
        values = dict(zip(names, row[: len(names)], strict=True))
        written = dict(zip(content, row[len(names) : len(names) + len(content)], strict=True))
        is_redacted = any(mark is not None for mark in row[len(names) + len(content) : -1])
        stored = row[-1]
        count += 1
        # A redacted record's digest stands for the content it had; the chain covers it.
        intact = record_hash(values) == stored and (
            not content or is_redacted or content_digest(written) == values["content_digest"]
        )
        if is_redacted:
            redacted[values["id"]] = values["audit_id"]
        elif (purged := _purge(values)) is not None:
            redacted = {k: audit for k, audit in redacted.items() if audit != purged}
        if altered is None and not intact:
            altered = Break(
                table, partnership_id, values["id"], "its contents do not match its hash"
            )
        if unlinked is None and values["previous_hash"] != previous_hash:
            before = f"record {previous_id}" if previous_id else "the start of the chain"
            unlinked = Break(
                table,
                partnership_id,
                values["id"],
                f"its previous hash does not match {before} (a record removed, inserted or "
                "altered before it)",
            )
        previous_id, previous_hash = values["id"], stored
    if altered is None and redacted:
        altered = Break(
            table,
            partnership_id,
            min(redacted),
            "it is marked redacted, but no purge of its audit is recorded after it",
        )
    breaks = [b for b in (altered, unlinked) if b is not None]
    if len(breaks) == 2 and breaks[0].record_id == breaks[1].record_id:
        breaks.pop()
    if head is None:
        breaks.append(Break(table, partnership_id, None, "the chain has no head"))
    elif (head.last_id, head.last_hash) != (previous_id, previous_hash):
        breaks.append(
            Break(
                table,
                partnership_id,
                None,
                f"the chain ends at record {previous_id}, its head names record "
                f"{head.last_id} (a record removed from the end, or the head changed)",
            )
        )
    return ChainResult(table, partnership_id, count, previous_hash, tuple(breaks))


def verify_all() -> list[ChainResult]:
    """Every chain: of every partnership that has records or a head, in both tables."""
    from .models import AccessRecord, ChangeRecord

    results = []
    for model in (ChangeRecord, AccessRecord):
        table = model._meta.db_table
        heads = {h.partnership_id: h for h in ChainHead.objects.filter(table=table)}
        partnerships = set(heads) | set(
            model.objects.order_by().values_list("partnership_id", flat=True).distinct()
        )
        for partnership_id in sorted(partnerships):
            results.append(verify_chain(model, partnership_id, heads.get(partnership_id)))
    return results
