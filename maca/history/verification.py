"""Verification of the hash chains (`chain.py`): `maca verify-history` walks every chain and
names, per broken chain, the first record altered, the first link broken and an end that is not
where its head says."""

from dataclasses import dataclass

from .chain import GENESIS, ChainHead, content_digest, hashed_fields, record_hash
from .models import AccessRecord, ChangeRecord


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
