"""The monthly ledger of who viewed whose sensitive personal data, read from the audit log through the ledger
layer: for those who may read the log, residents named only as far as the reader may see them, and masked."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shequ.residents import services
from shequ.residents.tests.helpers import new_id, register

pytestmark = pytest.mark.django_db


def _views(personas, n: int = 1):
    """``n`` residents of 社区A, each with a disability profile: 社区A's leader opens each whole ID and each page."""
    people = []
    for i in range(n):
        number = new_id()
        person = register(personas.worker_a, personas.community_a, name=f"王{i}五", id_number=number)
        services.person_reveal_id(actor=personas.leader_a, person=person)
        services.person_viewed(
            actor=personas.leader_a, person=person, profiles=SimpleNamespace(disability=True, special=[])
        )
        people.append((person, number))
    return people


def _export(client, org, month=None):
    url = reverse("ledgers:export", args=["sensitive-views", org.pk, timezone.localdate().year, "xlsx"])
    return client.get(url, {"month": month} if month else {})


def _rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row and row[0] == "序号")
    return [row for row in values[header + 1 :] if row and isinstance(row[0], int | float)]


def test_each_view_of_a_whole_id_or_a_sensitive_profile_is_a_row_of_its_month(personas, client_for):
    ((person, _number),) = _views(personas)
    month = timezone.localdate().month
    response = _export(client_for(personas.admin), personas.community_a, month)
    rows = _rows(response)
    assert [(r[1], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows] == [
        (f"{month}月", "社区A书记", "社区A", "王0五", person.id_masked, "完整证件号码", "已查阅"),
        (f"{month}月", "社区A书记", "社区A", "王0五", person.id_masked, "残疾", "已查阅"),
    ]
    other = month % 12 + 1
    assert _rows(_export(client_for(personas.admin), personas.community_a, other)) == []


def test_the_whole_number_never_stands_in_the_ledger(personas, client_for):
    ((_person, number),) = _views(personas)
    body = b"".join(_export(client_for(personas.admin), personas.community_a).streaming_content)
    text = " ".join(str(c) for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for c in row)
    assert number not in text and number[6:14] not in text


def test_only_those_who_may_read_the_log_get_it(personas, client_for):
    _views(personas)
    assert _export(client_for(personas.leader_a), personas.community_a).status_code == 403
    assert _export(client_for(personas.worker_b), personas.community_a).status_code == 404
    assert _rows(_export(client_for(personas.inspector), personas.community_a))  # the district 督查 reads the log


def test_the_export_runs_a_fixed_number_of_queries(personas, client_for):
    c = client_for(personas.admin)
    _views(personas, 2)
    _export(c, personas.community_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(_rows(_export(c, personas.community_a))) == 4
    _views(personas, 30)
    with CaptureQueriesContext(connection) as large:
        assert len(_rows(_export(c, personas.community_a))) == 64
    assert len(large.captured_queries) == len(small.captured_queries)
