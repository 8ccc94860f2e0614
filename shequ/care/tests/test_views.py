"""The care pages: the lists by grid and helper in a fixed number of queries, the helper's phone page with only
what a visit needs, a visit posted with a photo, the person's care file and the panel on their registry page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shequ.care.tests.helpers import disabled, pair, special, visit, volunteer
from shequ.residents.models import Person
from shequ.testing.files import image_bytes, upload

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _march_20():
    with time_machine.travel(datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _body(client, url) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_the_list_shows_who_is_due_this_month_by_grid_and_helper(personas, client_for):
    in_grid = disabled(personas.community_a, grid=personas.grid_a, name="网格内对象")
    outside = disabled(personas.community_a, name="网格外对象")
    visited = disabled(personas.community_a, name="已走访对象")
    visit(personas.worker_a, visited, date(2026, 3, 2))
    v = volunteer(personas.community_a, name="志愿者丙")
    pair(personas.worker_a, outside, v)
    c = client_for(personas.worker_a)
    body = _body(c, reverse("care:due"))
    assert "网格内对象" in body and "网格外对象" in body and "已走访对象" not in body
    body = _body(c, reverse("care:due") + f"?grid={personas.grid_a.pk}")
    assert "网格内对象" in body and "网格外对象" not in body
    body = _body(c, reverse("care:due") + f"?helper={v.pk}")
    assert "网格外对象" in body and "网格内对象" not in body and "志愿者丙" in body
    assert "已走访对象" in _body(c, reverse("care:due") + "?show=all")
    assert in_grid.pk


def test_due_soon_lists_only_those_whose_period_ends_within_the_reminder(personas, client_for):
    disabled(personas.community_a, name="月度对象")  # March ends in 11 days: not yet 即将到期 (7 days)
    special(personas.community_a, "correction", risk=4, name="每周对象")  # weekly, reminded 2 days ahead
    c = client_for(personas.worker_a)
    body = _body(c, reverse("care:due") + "?show=soon")
    assert "月度对象" not in body and "每周对象" not in body  # Friday: the week ends in 2 days
    with time_machine.travel(datetime(2026, 3, 26, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        body = _body(
            client_for(personas.worker_a), reverse("care:due") + "?show=soon"
        )  # Thursday 26th: 5 days left of March, 3 of the week
    assert "月度对象" in body and "每周对象" not in body
    with time_machine.travel(datetime(2026, 3, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        body = _body(
            client_for(personas.worker_a), reverse("care:due") + "?show=soon"
        )  # Saturday: the week ends tomorrow
    assert "月度对象" in body and "每周对象" in body


def test_a_bad_filter_value_is_a_chinese_error_and_lists_nothing(personas, client_for):
    disabled(personas.community_a, name="某对象")
    body = _body(client_for(personas.worker_a), reverse("care:due") + "?grid=abc&show=nonsense")
    assert "请改正筛选条件" in body and "某对象" not in body


@pytest.mark.parametrize("n", [3, 40])
def test_the_due_list_runs_a_fixed_number_of_queries(personas, client_for, n):
    v = volunteer(personas.community_a)
    for i in range(n):
        p = disabled(personas.community_a, grid=personas.grid_a if i % 2 else None)
        special(personas.community_a, "correction", risk=i % 6)
        if i % 3 == 0:
            visit(personas.worker_a, p, date(2026, 3, 1))
        if i % 4 == 0:
            pair(personas.worker_a, p, v)
    c = client_for(personas.worker_a)
    c.get(reverse("care:due"))
    with CaptureQueriesContext(connection) as ctx:
        _body(c, reverse("care:due") + f"?grid={personas.grid_a.pk}")
    # 24: the reader's helper pairs are read once and named as constants in the scope (an OR with a subquery made
    # PostgreSQL read the whole registry); the list is paged in the database: the counts per community and grid
    # (two grouped queries), the page's rows (one), their last visits and helpers (two)
    assert len(ctx) <= 24, [q["sql"][:120] for q in ctx.captured_queries]
    counts = getattr(test_the_due_list_runs_a_fixed_number_of_queries, "counts", set())
    counts.add(len(ctx))
    test_the_due_list_runs_a_fixed_number_of_queries.counts = counts
    assert len(counts) == 1, counts  # the same at both sizes


def test_a_volunteer_sees_only_their_persons_and_only_what_a_visit_needs(personas, client_for):
    mine = disabled(personas.community_a, name="我的对象", address="幸福路3号")
    Person.objects.filter(pk=mine.pk).update(id_masked="420102********1234")
    from shequ.residents.models import SpecialGroupProfile

    SpecialGroupProfile.objects.create(person=mine, kind="drug")
    disabled(personas.community_a, name="别人的对象")
    v = volunteer(personas.community_a)
    pair(personas.worker_a, mine, v)
    c = client_for(v)
    assert c.get(reverse("care:due")).status_code == 403
    body = _body(c, reverse("care:mine"))
    assert "我的对象" in body and "幸福路3号" in body and "别人的对象" not in body
    for page in (body, _body(c, reverse("care:person", args=[mine.pk])),
                 _body(c, reverse("care:visit", args=[mine.pk, "disability"]))):  # fmt: skip
        assert "1234" not in page and "吸毒" not in page and "居民档案" not in page
    assert c.get(reverse("care:visit", args=[mine.pk, "drug"])).status_code == 404
    other = Person.objects.get(name="别人的对象")
    assert c.get(reverse("care:visit", args=[other.pk, "disability"])).status_code == 404
    assert c.get(reverse("residents:detail", args=[mine.pk])).status_code in (403, 404)


def test_a_volunteer_posts_a_visit_with_a_photo_and_the_person_is_visited(personas, client_for):
    p = disabled(personas.community_a, name="走访对象")
    v = volunteer(personas.community_a)
    pair(personas.worker_a, p, v)
    c = client_for(v)
    assert "3月未走访" in _body(c, reverse("care:mine"))
    url = reverse("care:visit", args=[p.pk, "disability"])
    form = c.get(url).context["form"]
    bad = c.post(url, {"activity_type": form.fields["activity_type"].choices[0][0], "date": "2026-03-20",
                       "care_way": "上门服务", "content": "", "confirmation": "本人签字确认"})  # fmt: skip
    assert bad.status_code == 200 and "请填写确认人" in bad.content.decode()
    r = c.post(url, {
        "activity_type": form.fields["activity_type"].choices[0][0], "date": "2026-03-20", "care_way": "上门服务",
        "care_items": ["训练指导"], "content": "上门指导康复训练", "confirmation": "监护人签字确认",
        "confirmer": "张监护",
        "photos": upload("visit.jpg", image_bytes(), "image/jpeg"),
    })  # fmt: skip
    assert r.status_code == 302 and r.url == reverse("care:mine")
    assert "2026年3月已走访" in _body(c, reverse("care:mine"))
    body = _body(client_for(personas.worker_a), reverse("residents:detail", args=[p.pk]))
    assert "帮扶走访" in body and "2026年3月已走访" in body and "帮扶人：" in body


def test_the_care_file_shows_the_missed_months_of_the_year(personas, client_for):
    p = disabled(personas.community_a, name="漏访对象", since=date(2025, 6, 1))
    visit(personas.worker_a, p, date(2026, 1, 8))
    body = _body(client_for(personas.worker_a), reverse("care:person", args=[p.pk]))
    assert "2026年2月" in body and "2026年1月" not in body.split("今年未走访")[1].split("</dd>")[0]
    panel = _body(client_for(personas.worker_a), reverse("residents:detail", args=[p.pk]))
    assert "今年未走访：2026年2月" in panel


def test_workers_of_another_community_see_nothing(personas, client_for):
    p = disabled(personas.community_a, name="A的对象")
    c = client_for(personas.worker_b)
    assert "A的对象" not in _body(c, reverse("care:due"))
    assert c.get(reverse("care:person", args=[p.pk])).status_code == 404


def test_the_workbench_card_lists_who_is_due(personas, client_for):
    disabled(personas.community_a, name="工作台对象")
    body = _body(client_for(personas.worker_a), reverse("dashboard"))
    assert "本月未走访" in body and "工作台对象（残疾人）" in body


def test_an_administrator_edits_a_schedule_and_others_cannot(personas, client_for):
    from shequ.care.models import VisitSchedule

    row = VisitSchedule.objects.get(category="released", level="")
    url = reverse("care:schedule_edit", args=[row.pk])
    assert client_for(personas.leader_a).get(url).status_code == 403
    r = client_for(personas.admin).post(url, {"category": "released", "level": "", "every": "5", "unit": "month",
                                              "remind_days": "14"})  # fmt: skip
    assert r.status_code == 200 and "整除12" in r.content.decode()
    r = client_for(personas.admin).post(url, {"category": "released", "level": "", "every": "6", "unit": "month",
                                              "remind_days": "14"})  # fmt: skip
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.every == 6
    assert "每6个月走访1次" in _body(client_for(personas.worker_a), reverse("care:schedules"))


@pytest.mark.parametrize("n", [3, 30])
def test_the_workbench_card_runs_a_fixed_number_of_queries(personas, client_for, n):
    v = volunteer(personas.community_a)
    for i in range(n):
        p = disabled(personas.community_a, grid=personas.grid_a if i % 2 else None)
        special(personas.community_a, "mental", risk=i % 6)
        if i % 3 == 0:
            visit(personas.worker_a, p, date(2026, 3, 1))
        if i % 4 == 0:
            pair(personas.worker_a, p, v)
    c = client_for(personas.worker_a)
    c.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        assert "本月未走访" in _body(c, reverse("dashboard"))
    counts = getattr(test_the_workbench_card_runs_a_fixed_number_of_queries, "counts", set())
    counts.add(len(ctx))
    test_the_workbench_card_runs_a_fixed_number_of_queries.counts = counts
    assert len(counts) == 1, counts  # the same at both sizes


def test_a_street_workbench_counts_who_is_due_by_community(personas, client_for):
    from django.core.cache import cache

    from shequ.care.counts import by_community

    today = timezone.localdate()
    for name in ("甲", "乙"):
        disabled(personas.community_a, name=f"社区A对象{name}")
    visited = disabled(personas.community_a, name="社区A已走访")
    visit(personas.worker_a, visited, today)
    late = disabled(personas.community_b, name="社区B对象")
    c = client_for(personas.supervisor)
    body = _body(c, reverse("dashboard"))
    assert "本月未走访" in body and "社区A" in body and "2人" in body and "社区B" in body and "1人" in body
    assert "社区A对象甲" not in body  # above one community: counts, not names
    assert f"?org={personas.community_a.pk}" in body
    # Kept per community: a visit shows once the kept figures expire (here: cleared).
    visit(personas.worker_b, late, today)
    with CaptureQueriesContext(connection) as ctx:
        assert "社区B" in _body(c, reverse("dashboard"))
    assert not any("residents_disabilityprofile" in q["sql"] for q in ctx.captured_queries)
    cache.clear()
    assert by_community([personas.community_a, personas.community_b], today)[personas.community_b.pk] == {
        "disability": (0, 0)
    }
    assert "社区B" not in _body(c, reverse("dashboard")).split("本月未走访")[1].split("</section>")[0]
