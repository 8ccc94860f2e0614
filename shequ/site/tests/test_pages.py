"""The site shell: home dashboard, navigation, the page frame."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shequ.cases.tests.helpers import bulk_cases
from shequ.records.tests.helpers import bulk_records
from shequ.residents.tests.helpers import bulk_persons
from shequ.testing.factories import OrgFactory


def test_dashboard_counts_only_the_users_scope(personas, client_for):
    body = client_for(personas.supervisor).get(reverse("dashboard")).content.decode()
    # the street sees its two communities; the district has three
    assert '<a href="/orgs/">2</a>' in body
    body = client_for(personas.admin).get(reverse("dashboard")).content.decode()
    assert '<a href="/orgs/">3</a>' in body


def test_shell_shows_org_role_and_switcher(personas, client_for):
    from shequ.accounts.models import Membership
    from shequ.accounts.roles import Role

    Membership.objects.create(user=personas.worker_a, org=personas.community_b, role=Role.GRID)
    client = client_for(personas.worker_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "社区A" in body and "切换身份" in body
    m = Membership.objects.get(user=personas.worker_a, org=personas.community_b)
    client.post(reverse("accounts:switch", args=[m.pk]), {"next": "/"})
    body = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="current-org">社区B<' in body


def _nav_labels(body: str) -> list[str]:
    nav = body[body.index('<nav class="sidenav"') : body.index("</nav>")]
    return re.findall(r"<li><a href=\"[^\"]*\"[^>]*>([^<]+)</a></li>", nav)


def test_navigation_lists_every_part_in_its_order(personas, client_for):
    labels = _nav_labels(client_for(personas.admin).get(reverse("dashboard")).content.decode())
    assert labels == [
        "工作台",
        "组织架构",
        "工作条线",
        "用户与任职",
        "审计日志",
        "工作记录",
        "计划与达标",
        "小组与会议",
        "社区教育",
        "问卷调查",
        "帮扶走访",
        "责任书",
        "制度文件",
        "校历与安全教育",
        "事项办理",
        "信息报送",
        "年终考核",
        "年度档案",
        "居民档案",
    ]


def _nav_for(user, client_for) -> list[str]:
    return _nav_labels(client_for(user).get(reverse("dashboard")).content.decode())


def test_each_role_sees_the_lines_of_work_it_uses(personas, client_for):
    from shequ.accounts.roles import Role
    from shequ.orgs.models import Area, OrgKind, UnitType
    from shequ.testing.factories import member

    # A grid holds no groups: its staff get no 小组与会议 entry; they visit the people under care paired with them.
    assert _nav_for(personas.grid_a_worker, client_for) == [
        "工作台",
        "工作记录",
        "问卷调查",
        "帮扶走访",
        "事项办理",
        "居民档案",
    ]
    assert _nav_for(personas.worker_a, client_for) == [
        "工作台",
        "工作记录",
        "计划与达标",
        "小组与会议",
        "社区教育",
        "问卷调查",
        "帮扶走访",
        "责任书",
        "制度文件",
        "事项办理",
        "信息报送",
        "年终考核",
        "居民档案",
    ]
    assert _nav_for(personas.inspector, client_for) == [
        "工作台",
        "组织架构",
        "审计日志",
        "工作记录",
        "计划与达标",
        "小组与会议",
        "社区教育",
        "问卷调查",
        "帮扶走访",
        "责任书",
        "制度文件",
        "校历与安全教育",
        "事项办理",
        "信息报送",
        "年终考核",
        "居民档案",
    ]
    school = OrgFactory(name="中心小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=personas.street)
    officer = member(school, Role.WORKER, areas=list(Area.objects.filter(code="school")))
    assert _nav_for(officer, client_for) == [
        "工作台",
        "工作记录",
        "计划与达标",
        "小组与会议",
        "问卷调查",
        "责任书",
        "制度文件",
        "校历与安全教育",
        "事项办理",
    ]
    # A health centre is a unit too, but has no school calendar to keep.
    clinic = OrgFactory(
        name="社区卫生服务中心", kind=OrgKind.UNIT, unit_type=UnitType.HEALTH_CENTER, parent=personas.street
    )
    doctor = member(clinic, Role.WORKER, areas=list(Area.objects.filter(code="health")))
    assert "校历与安全教育" not in _nav_for(doctor, client_for)
    # A course's teacher sees their courses and nothing of the office.
    teacher = client_for(member(personas.community_a, Role.TEACHER))
    assert teacher.get(reverse("dashboard"))["Location"] == reverse("education:teach")
    assert _nav_labels(teacher.get(reverse("education:teach")).content.decode()) == ["工作台", "我的课程"]


def test_api_tokens_are_in_the_personal_menu_of_staff_only(personas, client_for):
    body = client_for(personas.worker_a).get(reverse("dashboard")).content.decode()
    menu = body[body.index('<details class="usermenu">') : body.index("</details>")]
    assert reverse("accounts:tokens") in menu and "修改密码" in menu and "退出登录" in menu
    assert "API令牌" not in _nav_labels(body)
    body = client_for(personas.resident).get(reverse("portal:mine")).content.decode()
    assert reverse("accounts:tokens") not in body


def test_navigation_hides_what_the_role_cannot_open(personas, client_for):
    labels = _nav_labels(client_for(personas.worker_a).get(reverse("dashboard")).content.decode())
    assert "工作记录" in labels and "居民档案" in labels
    assert "用户与任职" not in labels and "审计日志" not in labels


def test_dashboard_cards_come_in_the_order_of_the_parts(personas, client_for):
    body = client_for(personas.admin).get(reverse("dashboard")).content.decode()
    labels = re.findall(r'<div class="label">([^<]+)</div>', body)
    assert labels.index("社区/村") < labels.index("用户")
    lists = re.findall(r'data-testid="todo">\s*<h2>(?:<a href="[^"]*">)?([^<]+)<', body)
    assert lists.index("指标预警") < lists.index("事项")


@pytest.mark.parametrize("n", [10, 1000])
def test_dashboard_query_count_is_fixed(personas, client_for, django_assert_max_num_queries, n):
    for i in range(n // 100 + 1):
        OrgFactory(name=f"网格{i}", kind="grid", parent=personas.community_a)
    bulk_records(personas.community_a, n, year=2026)
    bulk_cases(n, personas.community_a)
    bulk_persons(personas.community_a, n)
    client = client_for(personas.admin)
    # one reads the session's second factor, one counts running surveys, the care card reads the communities in
    # scope and (its figures not yet kept) their people under care and the newest record; the reports card reads the
    # forms, the orgs owing them, the current period's submissions and the 督办 sent by hand
    with django_assert_max_num_queries(32):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
