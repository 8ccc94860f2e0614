"""The workbench's reports card: what an owing org owes now, and the completeness of the current period above it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.accounts.models import User
from shequ.orgs.models import OrgKind
from shequ.reports import services
from shequ.reports.dashboard import report_cards
from shequ.reports.models import ReportForm
from shequ.reports.tests.helpers import at, submit
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db


def _items(user, word="矛盾纠纷"):
    with at(2026, 3, 2):
        cards = report_cards(User.objects.get(pk=user.pk))
    return cards, [i for c in cards for i in c.get("items", []) if word in i["text"]]


def test_an_owing_org_sees_what_is_due_overdue_and_returned(personas):
    p = personas
    ReportForm.objects.exclude(code="dispute_monthly").update(is_active=False)
    jan = submit(p.worker_a, p.community_a, no=1, on=(2026, 2, 3))
    with at(2026, 2, 4):
        services.review(actor=p.admin, sub=jan, accept=False, reason="调处数不符")
    cards, items = _items(p.worker_a)
    assert [c["label"] for c in cards] == ["待报报表"]
    assert [(i["text"], i["note"]) for i in items] == [
        ("《矛盾纠纷排查调处情况月报表》2026年1月", "督办 · 已退回：调处数不符"),  # owed again, long past due
        ("《矛盾纠纷排查调处情况月报表》2026年2月", "将于3月5日截止"),
    ]
    assert items[0]["url"] == reverse("reports:detail", args=[jan.pk])
    assert items[1]["url"] == reverse("reports:fill", args=["dispute_monthly", p.community_a.pk, 2026, 2])
    _cards, b_items = _items(p.worker_b)  # 社区B never reported January: overdue
    assert ("《矛盾纠纷排查调处情况月报表》2026年1月", "督办 · 已逾期25天") in [(i["text"], i["note"]) for i in b_items]
    assert all(i["tone"] == "bad" for i in b_items if "逾期" in i["note"])


def test_above_the_communities_the_card_counts_the_current_period(personas):
    p = personas
    submit(p.worker_a, p.community_a, no=2, on=(2026, 3, 3))  # due 5 Mar: on time
    submit(p.worker_b, p.community_b, no=2, on=(2026, 3, 8))  # late
    with at(2026, 3, 10):
        cards = report_cards(User.objects.get(pk=p.admin.pk))
        street = report_cards(User.objects.get(pk=p.supervisor.pk))
    (card,) = cards
    line = next(i for i in card["items"] if "矛盾纠纷" in i["text"])
    assert line["text"] == "《矛盾纠纷排查调处情况月报表》2026年2月"
    assert line["note"] == "按时1 · 迟报1 · 缺报1 · 退回0 · 督办1；未报：社区C"  # five days late
    assert line["url"] == reverse("reports:index") + "?form=dispute_monthly&year=2026" and line["tone"] == "bad"
    own = next(i for i in street[0]["items"] if "矛盾纠纷" in i["text"])
    assert own["note"] == "按时1 · 迟报1 · 缺报0 · 退回0"  # 社区C lies in another street


@pytest.mark.parametrize("n", [2, 40])
def test_the_card_runs_a_fixed_number_of_queries(personas, n):
    p = personas
    for i in range(n):
        org = OrgFactory(name=f"村{i:03d}", kind=OrgKind.COMMUNITY, parent=p.other_street)
        if i % 2:
            submit(p.admin, org, no=2, on=(2026, 3, 3))
    user = User.objects.get(pk=p.admin.pk)
    with at(2026, 3, 10), CaptureQueriesContext(connection) as q:
        (card,) = report_cards(user)
    assert len(q) <= 7, [x["sql"] for x in q]  # forms, scope, orgs, submissions, 督办 sent by hand
    line = next(i for i in card["items"] if "矛盾纠纷" in i["text"])
    assert line["note"].startswith(f"按时{n // 2} · 迟报0 · 缺报{3 + n - n // 2}")
    assert line["note"].endswith("等") == (n > 2)  # five orgs named at most
