"""Lost updates on plans, targets and tasks: stale edit forms are refused, status moves make them stale."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.accounts.roles import Role
from shequ.plans import services
from shequ.plans.models import Plan, Task, TaskStatus
from shequ.plans.tests.helpers import area, plan
from shequ.testing.factories import member
from shequ.testing.forms import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(personas):
    return personas.leader_a, member(personas.community_a, Role.LEADER, username="p_leader_a2", name="社区A副书记")


def test_stale_plan_form_is_refused_with_what_changed(personas, leaders, client_for, time_machine):
    time_machine.move_to(date(2025, 6, 1))
    p = services.plan_create(
        actor=personas.leader_a, org=personas.community_a, year=2025, area=area("health"), title="2025年健康教育计划"
    )
    url = f"/plans/{p.pk}/edit/"
    c1, c2 = (client_for(u) for u in leaders)
    form1, form2 = form_values(c1.get(url).content.decode()), form_values(c2.get(url).content.decode())
    assert c1.post(url, {**form1, "title": "2025年健康教育工作计划"}).status_code == 302
    response = c2.post(url, {**form2, "text": "一、指导思想"})
    assert response.status_code == 200
    assert "标题：2025年健康教育计划 → 2025年健康教育工作计划" in response.content.decode()
    p.refresh_from_db()
    assert (p.title, p.text) == ("2025年健康教育工作计划", "")


def test_stale_target_form_is_refused(personas, leaders, client_for, time_machine):
    time_machine.move_to(date(2025, 6, 1))
    p = services.plan_create(
        actor=personas.leader_a, org=personas.community_a, year=2025, area=area("health"), title="计划"
    )
    t = services.target_save(
        actor=personas.leader_a, plan=p, title="健康知识知晓率", kind="rate", threshold=80, unit="%"
    )
    url = f"/plans/targets/{t.pk}/edit/"
    c1, c2 = (client_for(u) for u in leaders)
    form1, form2 = form_values(c1.get(url).content.decode()), form_values(c2.get(url).content.decode())
    assert c1.post(url, {**form1, "threshold": "85"}).status_code == 302
    response = c2.post(url, {**form2, "owner_name": "王医生"})
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    t.refresh_from_db()
    assert (t.threshold, t.owner_name) == (85, "")


def test_a_status_move_makes_an_open_task_form_stale(personas, leaders, client_for, time_machine):
    time_machine.move_to(date(2025, 6, 1))
    task = services.task_create(
        actor=personas.leader_a, org=personas.community_a, title="更换宣传栏", due=date(2025, 9, 30)
    )
    url = f"/plans/tasks/{task.pk}/edit/"
    c = client_for(leaders[1])
    opened = form_values(c.get(url).content.decode())
    services.task_set_status(actor=personas.leader_a, task=Task.objects.get(pk=task.pk), status=TaskStatus.DONE)
    response = c.post(url, {**opened, "due": "2025-10-31"})
    assert response.status_code == 200
    assert "状态：未开始 → 已完成" in response.content.decode()
    task.refresh_from_db()
    assert task.due == date(2025, 9, 30) and task.status == TaskStatus.DONE


def test_plan_status_moves_the_version_on(personas, time_machine):
    time_machine.move_to(date(2025, 6, 1))
    p = plan(personas.community_a)
    services.plan_set_status(actor=personas.leader_a, plan=p, status="published")
    assert Plan.objects.get(pk=p.pk).version == 2
