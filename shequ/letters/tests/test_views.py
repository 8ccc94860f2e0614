from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.letters import services
from shequ.letters.models import Letter
from shequ.letters.tests.helpers import drawn, kind, school, street_letters

pytestmark = pytest.mark.django_db

# Queries of the list page whatever the number of letters (the shell, the session and the scope included).
LIST = 21


@pytest.fixture(autouse=True)
def _march():
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _teachers(officer, org, n: int) -> None:
    k = kind("school-safety")
    grade = services.issue(actor=officer, kind=k, year=2026, issuer=org, issued_on=date(2026, 2, 20),
                           due_on=date(2026, 3, 1), people=[(f"组长{n}", f"{n}年级")])[0]  # fmt: skip
    heads = [(f"班主任{n}-{i}", f"{n}年级{i}班") for i in range(n * 5)]
    services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=grade, issued_on=date(2026, 2, 20),
                   due_on=date(2026, 3, 1), people=heads)  # fmt: skip


def test_the_list_runs_the_same_queries_for_few_and_many_letters(personas, client_for):
    org, officer = school(personas)
    client = client_for(officer)
    _teachers(officer, org, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("letters:list")).status_code == 200
    _teachers(officer, org, 6)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("letters:list"))
    assert len(few) == len(many) == LIST, [q["sql"][:120] for q in many.captured_queries]
    text = page.content.decode()
    assert "第2级 · 班主任" in text and "逾期" in text


def test_a_community_signs_its_letter_on_its_page_and_sees_no_neighbours(personas, client_for):
    _top, (a, b) = street_letters(personas)
    client = client_for(personas.leader_a)
    assert client_for(personas.worker_b).get(reverse("letters:detail", args=[a.pk])).status_code == 404
    assert client.get(reverse("letters:detail", args=[b.pk])).status_code == 404
    page = client.get(reverse("letters:detail", args=[a.pk])).content.decode()
    assert "认真落实平安建设领导责任制" in page and 'data-testid="sign-form"' in page
    bad = client.post(reverse("letters:sign", args=[a.pk]), {"signer_name": "社区A书记", "signed_on": "2026-03-01"})
    assert bad.status_code == 200 and "请手写签名，或上传签字后的纸质责任书扫描件" in bad.content.decode()
    assert "社区A书记" in bad.content.decode()  # what was typed stays
    ok = client.post(
        reverse("letters:sign", args=[a.pk]), {"signer_name": "社区A书记", "signed_on": "2026-03-01", "drawn": drawn()}
    )
    assert ok.status_code == 302
    a.refresh_from_db()
    assert a.signed_on == date(2026, 3, 1) and AuditLog.objects.filter(action="letter.sign").count() == 1
    signature = client.get(reverse("letters:signature", args=[a.pk]))
    assert signature.status_code == 200 and signature["Content-Type"].startswith("image/")
    assert client_for(personas.worker_b).get(reverse("letters:signature", args=[a.pk])).status_code == 404


def test_the_street_issues_to_its_communities_from_the_form_and_keeps_what_was_typed(personas, client_for):
    k = kind("safety-goals")
    top = services.issue(actor=personas.admin, kind=k, year=2026, issuer=personas.district, orgs=[personas.street],
                         issued_on=date(2026, 2, 1), due_on=date(2026, 2, 28))[0]  # fmt: skip
    client = client_for(personas.supervisor)
    url = f"{reverse('letters:issue')}?parent={top.pk}"
    form = client.get(url).content.decode()
    assert "社区A" in form and "社区C" not in form
    bad = client.post(url, {"issued_on": "2026-03-05", "due_on": "2026-03-01", "orgs": [personas.community_a.pk]})
    assert bad.status_code == 200 and "签订期限不能早于发出日期" in bad.content.decode()
    assert 'value="2026-03-05"' in bad.content.decode()
    ok = client.post(url, {"issued_on": "2026-03-05", "due_on": "2026-03-20", "orgs": [personas.community_a.pk]})
    assert ok.status_code == 302
    assert list(Letter.objects.filter(parent=top).values_list("holder_name", "level")) == [("社区A", 2)]
    # A community cannot issue the street's level.
    assert client_for(personas.worker_a).get(url).status_code == 404


def test_a_school_starts_its_letters_in_two_steps(personas, client_for):
    org, officer = school(personas)
    k = kind("school-safety")
    client = client_for(officer)
    start = client.get(reverse("letters:start"), {"kind": k.pk, "issuer": org.pk})
    assert start.status_code == 302
    url = start["Location"]
    posted = client.post(
        url, {"issued_on": "2026-02-20", "due_on": "2026-03-01", "people": "王丽，三年级\n陈建国、四年级\n\n"}
    )
    assert posted.status_code == 302
    assert sorted(Letter.objects.values_list("holder_name", "labels", "holder_role")) == [
        ("王丽", "三年级", "年级组长"),
        ("陈建国", "四年级", "年级组长"),
    ]


def test_the_register_and_a_signed_letter_export(personas, client_for):
    _top, (a, _b) = street_letters(personas)
    services.sign(actor=personas.worker_a, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 3), drawn=drawn())
    client = client_for(personas.supervisor)
    register = client.get(reverse("ledgers:export", args=["letter-register", personas.street.pk, 2026, "xlsx"]))
    assert register.status_code == 200
    pdf = client.get(
        reverse("ledgers:export", args=["responsibility-letter", personas.community_a.pk, 2026, "pdf"]),
        {"letter": a.pk},
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    outside = client_for(personas.worker_b).get(
        reverse("ledgers:export", args=["responsibility-letter", personas.community_a.pk, 2026, "pdf"]),
        {"letter": a.pk},
    )
    assert outside.status_code in (403, 404)
