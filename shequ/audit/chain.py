"""The chain over the audit log: sealing committed rows, verifying the chain, pruning with an anchor.

Rows are written by many transactions at once and commit in an order nobody knows in advance, so a row does not
link itself to "the previous row" when it is written (on PostgreSQL it could not see a row still uncommitted, and
a lock held from the write to the commit would make every audited action wait for the slowest transaction).
Instead each row carries its own keyed hash, and after commit :func:`seal` appends the committed rows that have
no place in the chain yet, in id order, under one lock (an advisory lock on PostgreSQL; SQLite writes one at a
time anyway): ``chain_seq`` counts up from 1 without gaps and ``chain_hash`` binds each row to all before it.

:func:`verify` walks the chain: a gap in ``chain_seq`` is a deleted row, a ``row_hash`` that does not match the
row's content is an edited or forged row, a ``chain_hash`` that does not follow is a chain rewritten.
:func:`prune` deletes a prefix of the chain past the retention period and writes an anchor row
(``audit.prune``) that keeps the sequence number and hash of the last row it deleted, so the rest still verifies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pgtrigger
from django.db import connection, transaction

from shequ.audit.models import GENESIS, AuditLog, AuditPerson, chain_link

# An arbitrary constant naming the sealing lock among PostgreSQL's advisory locks.
SEAL_LOCK = 0x5348_4551_0A0D
BATCH = 1000
PRUNE_ACTION = "audit.prune"


def _base():
    """The log's rows without the guards of its manager (the seal and the prune are the two allowed writes)."""
    return AuditLog._base_manager.all()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])


def _head() -> tuple[int, str]:
    """The last sealed row's sequence number and chain hash, or where the chain starts."""
    last = _base().filter(chain_seq__isnull=False).order_by("-chain_seq").values_list("chain_seq", "chain_hash")
    row = last.first()
    if row is not None:
        return row
    anchor = _latest_anchor()
    return anchor if anchor is not None else (0, GENESIS)


def _latest_anchor() -> tuple[int, str] | None:
    anchors = _base().filter(action=PRUNE_ACTION).order_by("-id").values_list("detail", flat=True)
    for detail in anchors[:1]:
        return int(detail["through_seq"]), str(detail["chain_hash"])
    return None


def seal() -> int:
    """Append every committed, unsealed row to the chain; returns how many were sealed."""
    sealed = 0
    with transaction.atomic():
        _lock()
        seq, prev = _head()
        while True:
            rows = list(_base().filter(chain_seq__isnull=True).order_by("id").values_list("id", "row_hash")[:BATCH])
            if not rows:
                break
            for pk, row_hash in rows:
                seq += 1
                prev = chain_link(prev, seq, row_hash)
                _base().filter(pk=pk, chain_seq__isnull=True).update(chain_seq=seq, chain_hash=prev)
            sealed += len(rows)
    return sealed


def seal_after_commit() -> None:
    """Seal once the current transaction commits (right away outside one); once per transaction."""
    if connection.in_atomic_block and any(entry[1] is seal for entry in connection.run_on_commit):
        return
    transaction.on_commit(seal)


@dataclass
class Report:
    rows: int = 0
    first_seq: int | None = None
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _chain_rows() -> Iterator[AuditLog]:
    return _base().filter(chain_seq__isnull=False).order_by("chain_seq").iterator(chunk_size=BATCH)


def verify() -> Report:
    """Seal what is pending, then check every row and every link of the chain."""
    seal()
    report = Report()
    expected, prev = None, GENESIS
    for row in _chain_rows():
        if expected is None:
            report.first_seq = row.chain_seq
            if row.chain_seq != 1:
                anchor = _anchor_for(row.chain_seq - 1)
                if anchor is None:
                    report.problems.append(f"链从第{row.chain_seq}行开始，但没有清理锚点：此前的记录被删除。")
                else:
                    prev = anchor
            expected = row.chain_seq
        if row.chain_seq != expected:
            report.problems.append(f"第{expected}至{row.chain_seq - 1}行缺失：记录被删除。")
        if row.compute_row_hash() != row.row_hash:
            report.problems.append(f"记录 {row.pk}（第{row.chain_seq}行）的内容与校验值不符：被修改或伪造。")
        if chain_link(prev, row.chain_seq, row.row_hash) != row.chain_hash:
            report.problems.append(f"记录 {row.pk}（第{row.chain_seq}行）的链校验值不符：链被改写。")
        prev, expected = row.chain_hash, row.chain_seq + 1
        report.rows += 1
        report.head_seq, report.head_hash = row.chain_seq, row.chain_hash
    return report


def _anchor_for(through_seq: int) -> str | None:
    for detail in _base().filter(action=PRUNE_ACTION).values_list("detail", flat=True):
        if int(detail.get("through_seq", -1)) == through_seq:
            return str(detail["chain_hash"])
    return None


@contextmanager
def _prune_gate():
    """Open the database's guard against DELETE for this transaction only."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_prune_gate (id) VALUES (1)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_prune_gate")
    else:
        with pgtrigger.ignore("audit.AuditLog:audit_no_delete"):
            yield


def prune(cutoff) -> int:
    """Delete the chain's rows older than ``cutoff`` (a prefix: up to the first younger row) and anchor the rest.

    The caller checks the retention period; returns how many rows went.
    """
    seal()
    with transaction.atomic():
        _lock()
        young = _base().filter(chain_seq__isnull=False, created_at__gte=cutoff).order_by("chain_seq")
        first_young = young.values_list("chain_seq", flat=True).first()
        old = _base().filter(chain_seq__isnull=False)
        if first_young is not None:
            old = old.filter(chain_seq__lt=first_young)
        last = old.order_by("-chain_seq").values_list("chain_seq", "chain_hash").first()
        if last is None:
            return 0
        with _prune_gate():
            AuditPerson.objects.filter(audit__in=old.values("pk")).delete()
            deleted, _ = old.delete()
        AuditLog.objects.create(
            action=PRUNE_ACTION,
            actor_name="系统",
            detail={"through_seq": last[0], "chain_hash": last[1], "rows": deleted, "before": cutoff.isoformat()},
        )
    seal()
    return deleted
