"""Cases go where they belong: a supervisor's hazard goes to the safety staff, 转办 keeps the reporter,
the owner defaults to who accepts, and the case page has each element id once."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shequ.accounts.roles import Role
from shequ.cases import selectors, services
from shequ.cases.choices import CaseState, Channel
from shequ.cases.forms import action_form
from shequ.cases.models import Case, CaseHistory, HazardDetail
from shequ.cases.tests.helpers import accept, ctype, make_case
from shequ.orgs.models import Area
from shequ.testing.factories import member


@pytest.fixture
def staff(personas):
    area = {a.code: a for a in Area.objects.all()}
    monitor = member(personas.community_a, Role.MONITOR, name="陈监督")
    safety = member(personas.community_a, Role.WORKER, areas=[area["safety"]], name="赵综治")
    selfgov = member(personas.community_a, Role.WORKER, areas=[area["selfgov"]], name="钱自治")
    return monitor, safety, selfgov


def _report(personas, monitor, category: str, title: str = "北门监控探头损坏"):
    return services.case_report(
        actor=monitor, case_type=ctype("monitor"), org=personas.community_a, title=title,
        description="北门出入口的监控探头画面黑屏。", category=category, place="北门",
    )  # fmt: skip


def _visible(user, case) -> bool:
    return selectors.visible_cases(user).filter(pk=case.pk).exists()


@pytest.mark.parametrize("category", ["治安隐患", "安全隐患"])
def test_a_supervisors_hazard_report_is_a_safety_hazard_the_safety_worker_sees(personas, staff, category):
    monitor, safety, selfgov = staff
    case = _report(personas, monitor, category)
    assert (case.case_type.code, case.area.code, case.channel) == ("hazard", "safety", Channel.MONITOR)
    assert case.reporter_id == monitor.pk and case.category in ctype("hazard").categories
    assert HazardDetail.objects.get(case=case).found_by == "陈监督(监督员)"
    assert _visible(safety, case) and not _visible(selfgov, case)
    assert selectors.assignable_users(case).filter(pk=safety.pk).exists()


def test_an_environment_report_stays_with_self_government(personas, staff):
    monitor, safety, selfgov = staff
    case = _report(personas, monitor, "环境卫生", title="绿化带乱倒建筑垃圾")
    assert (case.case_type.code, case.area.code) == ("monitor", "selfgov")
    assert _visible(selfgov, case) and not _visible(safety, case)


def test_transfer_moves_a_case_to_another_type_and_area_with_history_and_keeps_the_reporter(personas, staff):
    monitor, safety, selfgov = staff
    case = _report(personas, monitor, "公共设施", title="围墙护栏断裂")
    accept(case, selfgov)
    services.case_move(
        actor=selfgov, case=case, action="transfer", note="有人从缺口出入,属治安隐患",
        to_type=ctype("hazard"), to_area=Area.objects.get(code="safety"), category="治安",
    )  # fmt: skip
    case = Case.objects.select_related("case_type", "area").get(pk=case.pk)
    assert (case.case_type.code, case.area.code, case.category) == ("hazard", "safety", "治安")
    assert case.state == CaseState.REGISTERED and case.owner_id is None and case.deadline is None
    assert case.reporter_id == monitor.pk and case.channel == Channel.MONITOR
    assert HazardDetail.objects.filter(case=case).exists()
    row = CaseHistory.objects.filter(case=case, action="transfer").get()
    assert row.detail["from"] == "监督员上报 · 居民自治" and row.detail["to"] == "安全隐患 · 平安建设"
    assert _visible(safety, case) and not _visible(selfgov, case)
    assert case in Case.objects.filter(reporter=monitor)  # the supervisor still follows it on the portal
    accept(case, safety)  # and the safety worker takes it from there
    assert Case.objects.get(pk=case.pk).owner_id == safety.pk


def test_transfer_needs_a_reason_and_a_different_place(personas, staff):
    monitor, _safety, selfgov = staff
    case = _report(personas, monitor, "环境卫生")
    with pytest.raises(ValidationError, match="转办的理由"):
        services.case_move(actor=selfgov, case=case, action="transfer", to_type=ctype("hazard"))
    with pytest.raises(ValidationError, match="不同的事项类型或条线"):
        services.case_move(actor=selfgov, case=case, action="transfer", note="x", to_type=ctype("monitor"))
    with pytest.raises(ValidationError, match="类别"):
        services.case_move(
            actor=selfgov, case=case, action="transfer", note="x", to_type=ctype("hazard"), category="环境卫生"
        )
    assert Case.objects.get(pk=case.pk).case_type.code == "monitor"


def test_transfer_through_the_page_hands_the_case_over_and_says_where_it_went(personas, staff, client_for):
    monitor, safety, selfgov = staff
    case = _report(personas, monitor, "环境卫生", title="消防通道堆放杂物")
    c = client_for(selfgov)
    response = c.post(
        reverse("cases:move", args=[case.pk, "transfer"]),
        {"target": "hazard:safety", "category": "消防", "note": "堵塞消防通道"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:inbox")
    assert Case.objects.get(pk=case.pk).case_type.code == "hazard"
    html = client_for(safety).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "转办:监督员上报 · 居民自治 → 安全隐患 · 平安建设" in html


def test_the_owner_defaults_to_the_acting_user_where_they_may_own_the_case(personas, staff):
    monitor, safety, selfgov = staff
    case = _report(personas, monitor, "治安隐患")
    assert action_form("accept", case, safety).fields["owner"].initial == safety.pk
    # The leader may accept, and may own it too; the self-government worker may not own a hazard.
    assert action_form("accept", case, personas.leader_a).fields["owner"].initial == personas.leader_a.pk
    assert action_form("accept", case, selfgov).fields["owner"].initial is None


def test_the_case_page_has_no_duplicate_element_ids(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "hazard")
    accept(case, personas.worker_a)
    html = client_for(personas.leader_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert len(ids) > 10  # the page's forms are there
    assert [i for i, n in ids.items() if n > 1] == []
