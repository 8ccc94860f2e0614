"""The workbench says what to do today: targets at risk with what they lack, tasks due and overdue, cases
waiting, quick actions, two charts; a street leader sees its communities ranked by 达标率 with drill-down;
a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shequ.cases.tests.helpers import bulk_cases
from shequ.orgs.models import OrgKind, UnitType
from shequ.plans.models import Task
from shequ.plans.tests.helpers import plan, record, target
from shequ.records.tests.helpers import bulk_records
from shequ.testing.factories import OrgFactory


def _lectures(org, year: int, done: int, min_per_year: int = 12):
    t = target(
        plan(org, year=year), kind="count", activity_codes=["health/lecture"], period="year",
        min_per_year=min_per_year, title="健康知识讲座",
    )  # fmt: skip
    for i in range(done):
        record(org, "health/lecture", date(year, 1 + i % 10, 10))
    return t


def _body(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_worker_sees_what_needs_doing_each_linked_to_where_it_is_done(personas, client_for):
    today = timezone.localdate()
    lectures = _lectures(personas.community_a, today.year, done=1)
    late = Task.objects.create(
        org=personas.community_a, year=today.year, title="更新居民档案", due=today - timedelta(3)
    )
    Task.objects.create(org=personas.community_a, year=today.year, title="下月的任务", due=today + timedelta(30))
    bulk_cases(2, personas.community_a, "opinion", state="registered")
    body = _body(client_for(personas.worker_a))
    assert f'<a href="/plans/targets/{lectures.pk}/">健康知识讲座</a>' in body
    assert re.search(r"全年还差11次（按进度应已完成\d+次，已完成1次）", body)
    assert f'<a href="/plans/tasks/{late.pk}/">更新居民档案</a> <span class="tag note bad">已逾期3天</span>' in body
    assert "下月的任务" not in body  # not due within the week
    assert '<a href="/cases/?box=todo">待受理</a> <span class="tag note warn">2件</span>' in body
    for label, url in (
        ("登记工作记录", "/records/new/"),
        ("登记事项", "/cases/new/"),
        ("导入居民", "/residents/imports/"),
    ):
        assert f'<a class="btn" href="{url}">{label}</a>' in body
    assert "各条线指标达标率" in body and "各月工作记录" in body and "<svg" in body
    assert "各社区达标率排名" not in body  # one community: nothing to rank


def test_targets_of_several_orgs_each_say_whose_they_are(personas, client_for):
    # 社区A's worker also sees the targets of the 卫生服务站 inside 社区A: the same title twice must say whose.
    today = timezone.localdate()
    station = OrgFactory(name="A卫生服务站", kind=OrgKind.UNIT, unit_type=UnitType.HEALTH_STATION,
                         parent=personas.community_a)  # fmt: skip
    own = _lectures(personas.community_a, today.year, done=1)
    theirs = _lectures(station, today.year, done=1)
    body = _body(client_for(personas.worker_a))
    assert f'<a href="/plans/targets/{own.pk}/">社区A：健康知识讲座</a>' in body
    assert f'<a href="/plans/targets/{theirs.pk}/">A卫生服务站：健康知识讲座</a>' in body


def test_a_street_leader_sees_its_communities_ranked_with_drill_down(personas, client_for):
    year = timezone.localdate().year
    _lectures(personas.community_a, year, done=2, min_per_year=2)
    _lectures(personas.community_b, year, done=1, min_per_year=3)
    body = _body(client_for(personas.supervisor))
    ranking = body[body.index("各社区达标率排名") :]
    a = ranking.index(f'<a href="/plans/overview/?org={personas.community_a.pk}">社区A</a>')
    b = ranking.index(f'<a href="/plans/overview/?org={personas.community_b.pk}">社区B</a>')
    assert a < b and "100%" in ranking[a:b]
    assert "社区C" not in ranking  # another street's community


@pytest.mark.parametrize("n", [3, 60])
def test_the_workbench_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    year = timezone.localdate().year
    for org in (personas.community_a, personas.community_b):
        p = plan(org, year=year)
        for i in range(n):
            target(p, code=f"t{i}", kind="count", activity_codes=["health/lecture"], period="month", min_per_period=1)
            Task.objects.create(org=org, year=year, title=f"任务{i}", due=timezone.localdate() - timedelta(1))
        bulk_records(org, n * 10, year=year)
        bulk_cases(n * 10, org)
    # one each for the surveys, groups, letters and documents cards; two or three for the care card (the disabled and
    # the special groups under care, and the lines of work whose profiles the reader sees) and one for the communities
    # in scope (above one, it counts by community) and one for the reader's helper pairs; the street's view reads its
    # targets' kept states (on a first view, worked out and kept: one more) and, working out its communities' care
    # figures, the newest record (the mark from which a community's kept card counts new visits); four for the
    # reports card (the forms, the owing orgs, the current submissions, the 督办 sent)
    for user, limit in ((personas.worker_a, 38), (personas.supervisor, 40)):
        client = client_for(user)
        # one reads the session's second factor; one counts the tasks when more than the eight shown are due
        with django_assert_max_num_queries(limit):
            _body(client)
