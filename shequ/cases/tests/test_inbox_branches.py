"""The inbox read branch by branch (each org of the scope, as owner and as registering org): the same cases in the
same order as the whole list, page after page, and nothing of another community."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shequ.cases.models import Case
from shequ.cases.selectors import case_list
from shequ.cases.tests.helpers import bulk_cases


def test_the_inbox_pages_hold_the_scopes_cases_newest_first_escalated_ones_included(personas, client_for):
    p = personas
    now = timezone.now()
    made = [
        *bulk_cases(40, p.community_a, "dispute"),
        *bulk_cases(30, p.grid_a, "dispute"),
        *bulk_cases(20, p.community_b, "dispute"),
        # Registered in the community and reported up: owned by the street, still in the community's inbox.
        *bulk_cases(5, p.street, "dispute", origin_org=p.community_a),
    ]
    for i, case in enumerate(made):  # registered a minute apart, the orgs interleaved
        case.registered_at = now - timedelta(minutes=(i * 37) % len(made))
    Case.objects.bulk_update(made, ["registered_at"])
    expected = list(case_list(p.worker_a).values_list("pk", flat=True))
    assert len(expected) == 75  # 40 + 30 + 5, none of 社区B's

    client = client_for(p.worker_a)
    shown = []
    for number in (1, 2):
        page = client.get(reverse("cases:inbox"), {"page": number}).context["page"]
        assert page.paginator.count == 75
        shown += [c.pk for c in page.object_list]
    assert shown == expected
    # A box narrows every branch alike.
    page = client.get(reverse("cases:inbox"), {"box": "todo"}).context["page"]
    assert [c.pk for c in page.object_list] == list(case_list(p.worker_a, box="todo").values_list("pk", flat=True)[:50])


def test_a_long_inbox_counts_to_its_cap_and_asks_for_a_filter(personas, client_for, monkeypatch):
    from shequ.cases import selectors

    monkeypatch.setattr(selectors, "INBOX_COUNT_CAP", 6)
    bulk_cases(8, personas.community_a, "dispute")
    client = client_for(personas.worker_a)
    response = client.get(reverse("cases:inbox"))
    assert response.context["page"].paginator.count == 6
    assert "事项超过6件，只显示前6件" in response.content.decode() and "共超过 6 条" in response.content.decode()
    narrowed = client.get(reverse("cases:inbox"), {"q": "不会有"})
    assert narrowed.context["page"].paginator.count == 0 and 'data-testid="capped"' not in narrowed.content.decode()
