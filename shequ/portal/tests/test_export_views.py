"""A roster exported with whole ID numbers counts as a view of each resident it held: the export's audit row keeps
its filters, count and a digest of the ids, one side row per person is written in bulk, and each resident's 我的信息
and the 敏感个人信息查阅台账 show 导出名册（含完整身份证号） with who, which org and when."""

from __future__ import annotations

from array import array

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shequ.audit.models import AuditLog, AuditPerson
from shequ.audit.services import persons_digest
from shequ.portal import owndata
from shequ.residents.models import Person
from shequ.residents.tests.helpers import bulk_persons, register
from shequ.residents.tests.test_sensitive_ledger import _export as ledger_export
from shequ.residents.tests.test_sensitive_ledger import _rows as ledger_rows

pytestmark = pytest.mark.django_db
EXPORTED = "导出名册（含完整身份证号）"


def _roster(personas, **params):
    url = reverse("ledgers:export_undated", args=["residents", personas.community_a.pk, "xlsx"])
    return url, params


def _download(client, personas, **params) -> None:
    url, query = _roster(personas, **params)
    response = client.get(url, query)
    assert response.status_code == 200
    b"".join(response.streaming_content)


def _queries(call, statements: list[str] | None = None) -> int:
    """How many statements ``call`` ran (their text added to ``statements``)."""
    seen = [] if statements is None else statements
    start = len(seen)

    def counted(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        call()
    return len(seen) - start


@pytest.fixture
def linked(personas):
    """王秀英 of 社区A, linked to the resident's portal account, and 李四 beside her."""
    person = register(personas.worker_a, personas.community_a, name="王秀英")
    Person.objects.filter(pk=person.pk).update(account=personas.resident)
    register(personas.worker_a, personas.community_a, name="李四")
    return person


def test_a_whole_roster_export_is_a_view_of_each_resident_it_held(personas, linked, client_for):
    _download(client_for(personas.leader_a), personas, whole="1")
    row = AuditLog.objects.get(action="person.view_id")
    held = sorted(AuditPerson.objects.filter(audit=row).values_list("person_id", flat=True))
    assert held == sorted(Person.objects.filter(org=personas.community_a).values_list("pk", flat=True))
    assert row.detail["whole"] == 2 and row.detail["ledger"] == "residents" and row.detail["filters"] == {"whole": True}
    assert "persons" not in row.detail and len(row.detail["persons_digest"]) == 16

    page = client_for(personas.resident).get(reverse("portal:me_views")).content.decode()
    assert EXPORTED in page and "社区A书记" in page and "社区A" in page
    assert f"{timezone.localdate():%Y年%-m月}" in page
    (view,) = owndata.sensitive_views(linked)
    assert (view["actor_name"], view["actor_org__name"], view["exported"], view["times"]) == (
        "社区A书记",
        "社区A",
        True,
        1,
    )

    month = timezone.localdate().month
    rows = ledger_rows(ledger_export(client_for(personas.admin), personas.community_a, month))
    assert [(r[3], r[4], r[5], r[7]) for r in rows] == [("社区A书记", "社区A", "名册内2人", f"{EXPORTED[:-1]}，2人）")]


def test_a_filtered_or_masked_export_counts_only_for_whom_it_showed_whole(personas, linked, client_for):
    leader = client_for(personas.leader_a)
    _download(leader, personas)  # masked: no one's whole number left
    _download(leader, personas, whole="1", q="李四")  # whole, but 王秀英 was not in it
    assert list(owndata.sensitive_views(linked)) == []
    assert EXPORTED not in client_for(personas.resident).get(reverse("portal:me_views")).content.decode()
    _download(leader, personas, whole="1", q="王秀英")
    assert [v["exported"] for v in owndata.sensitive_views(linked)] == [True]


def test_the_side_rows_are_written_in_bulk_and_the_page_reads_them_by_index(personas, linked, client_for):
    bulk_persons(personas.community_a, 300)
    statements: list[str] = []
    _queries(lambda: _download(client_for(personas.leader_a), personas, whole="1"), statements)
    inserts = [sql for sql in statements if "INSERT" in sql and "audit_auditperson" in sql]
    held = Person.objects.filter(org=personas.community_a).count()
    assert held > 300 and len(inserts) == 1  # one insert of up to 5,000 (a million: 200)
    row = AuditLog.objects.get(action="person.view_id")
    ids = AuditPerson.objects.filter(audit=row).order_by("pk").values_list("person_id", flat=True)
    assert row.detail["persons_digest"] == persons_digest(array("q", ids)) and len(ids) == held
    client = client_for(personas.resident)
    small = _queries(lambda: client.get(reverse("portal:me_views")))
    _download(client_for(personas.leader_a), personas, whole="1")
    bulk_persons(personas.community_a, 300, start=300)
    _download(client_for(personas.leader_a), personas, whole="1")
    assert _queries(lambda: client.get(reverse("portal:me_views"))) == small > 0
    assert [v["times"] for v in owndata.sensitive_views(linked)] == [3]
