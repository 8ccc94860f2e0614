"""The school year: a school's staff edit its calendar (others cannot), the eight key prevention items per term are
derived from the lessons and drills, a drill's problems open a hazard case linked back to it, and the ledger."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from shequ.accounts.roles import Role
from shequ.cases.models import Case
from shequ.education import schoolyear
from shequ.education.calendars import PeriodKind
from shequ.education.models import CalendarPeriod
from shequ.education.tests.test_calendars import calendar, school
from shequ.orgs.models import Area
from shequ.plans import compliance
from shequ.plans.tests.helpers import plan, record, target
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def officer(org, username="s_officer"):
    return member(org, Role.WORKER, areas=list(Area.objects.filter(code="school")), username=username, name="安全专干")


def lesson(org, d, *topics, title="安全教育课"):
    return record(org, "school/lesson", d, title, extra={"topic_kind": list(topics)})


def drill(org, d, kind, title="应急演练", **extra):
    return record(org, "school/drill", d, title, extra={"drill_kind": kind, **extra})


# --- the eight items ---------------------------------------------------------------------------------------------


def test_the_eight_items_are_the_plans():
    assert [i.plan_text for i in schoolyear.EIGHT_ITEMS] == [
        "防溺水", "防雷击", "防交通事故", "防传染病", "防因教师体罚学生而造成的学生伤害事故", "防地质灾害事故",
        "防学生日常活动伤害事故", "防校舍教学设施安全事故",
    ]  # fmt: skip


def test_coverage_per_term_counts_lessons_and_drills_of_the_term_only(personas):
    s = school(personas.street)
    cal = calendar(s)
    lesson(s, date(2026, 3, 10), "防溺水", "防雷击")
    lesson(s, date(2026, 4, 10), "防交通事故")
    lesson(s, date(2026, 5, 10), "食品安全")  # not one of the eight
    lesson(s, date(2026, 8, 10), "防传染病")  # summer holiday: no term
    drill(s, date(2026, 5, 20), "防溺水")
    drill(s, date(2026, 6, 2), "消防疏散")
    lesson(s, date(2026, 9, 20), "防地质灾害")
    lesson(personas.community_a, date(2026, 3, 12), "防活动伤害")  # another org's lesson
    terms = CalendarPeriod.objects.filter(calendar=cal, kind=PeriodKind.TERM, start__year=2026)
    spring, autumn = schoolyear.coverage(s, terms)
    assert (spring.taught, spring.drilled) == (3, 2)
    assert [r.item.code for r in spring.rows if r.taught] == ["drowning", "lightning", "traffic"]
    assert [r.item.code for r in spring.rows if r.drilled] == ["drowning", "buildings"]
    assert (autumn.taught, autumn.drilled) == (1, 0) and not autumn.complete


def test_an_autumn_terms_january_is_filed_under_next_year_and_counts_for_no_term(personas):
    s = school(personas.street)
    cal = calendar(s)
    lesson(s, date(2026, 12, 20), "防溺水")
    lesson(s, date(2027, 1, 8), "防雷击")  # in the autumn term, but in 2027
    autumn = CalendarPeriod.objects.get(calendar=cal, name="2026年秋季学期")
    (c,) = schoolyear.coverage(s, [autumn])
    assert c.until == date(2026, 12, 31) and c.clipped
    assert c.taught == 1


def test_all_eight_taught_is_complete(personas):
    s = school(personas.street)
    cal = calendar(s)
    topics = ["防溺水", "防雷击", "防交通事故", "防传染病", "防体罚伤害", "防地质灾害", "防活动伤害", "消防安全"]
    for n, t in enumerate(topics):
        lesson(s, date(2026, 3, 2 + n), t)
    spring = CalendarPeriod.objects.get(calendar=cal, name="2026年春季学期")
    (c,) = schoolyear.coverage(s, [spring])
    assert c.complete and c.taught == 8


# --- the calendar page and its edits -----------------------------------------------------------------------------


def test_school_staff_see_the_calendar_and_the_checklist(personas, client_for):
    s = school(personas.street)
    calendar(s)
    lesson(s, date(2026, 10, 10), "防溺水")
    with time_machine.travel(date(2026, 11, 1)):
        page = client_for(officer(s)).get(reverse("education:school", args=[s.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026—2027学年" in html and "2026年秋季学期" in html
    assert "已教育 1/8" in html and "已演练 0/7" in html


def test_a_school_on_the_district_calendar_makes_its_own_then_edits_it(personas, client_for):
    calendar(personas.district)
    s = school(personas.street)
    c = client_for(officer(s))
    page = c.get(reverse("education:school", args=[s.pk]))
    assert "沿用" in page.content.decode()
    assert c.post(reverse("education:calendar_own", args=[s.pk])).status_code == 302
    own = schoolyear.calendar_of(s)
    assert own.org_id == s.pk and own.periods.count() == 3
    assert schoolyear.calendar_of(personas.district).periods.count() == 3  # the district's stays


def test_edits_are_validated_in_chinese_and_keep_what_was_typed(personas, client_for):
    s = school(personas.street)
    calendar(s)
    c = client_for(officer(s))
    url = reverse("education:period_create", args=[s.pk])
    bad = c.post(url, {"kind": "term", "name": "错的学期", "start": "2027-03-01", "end": "2027-02-01"})
    assert "结束日期不能早于开始日期" in bad.content.decode() and "错的学期" in bad.content.decode()
    clash = c.post(url, {"kind": "term", "name": "重叠学期", "start": "2026-12-01", "end": "2027-03-01"})
    assert "与学期“2026年秋季学期”" in clash.content.decode() and "不能重叠" in clash.content.decode()
    ok = c.post(url, {"kind": "term", "name": "2027年春季学期", "start": "2027-02-22", "end": "2027-07-02"})
    assert ok.status_code == 302
    holiday = c.post(url, {"kind": "holiday", "name": "劳动节", "start": "2027-05-01", "end": "2027-05-05"})
    assert holiday.status_code == 302  # a holiday inside a term is fine


def test_only_the_schools_own_staff_edit_its_calendar(personas, client_for):
    s = school(personas.street)
    cal = calendar(s)
    term = cal.periods.first()
    other = officer(school(personas.community_b), username="other_officer")
    health = member(s, Role.WORKER, areas=list(Area.objects.filter(code="health")), username="s_health", name="健")
    edit = reverse("education:period_edit", args=[term.pk])
    assert client_for(other).get(edit).status_code == 404
    assert client_for(other).get(reverse("education:school", args=[s.pk])).status_code == 404
    assert client_for(health).get(edit).status_code == 404  # another line of work sees no calendar
    assert client_for(personas.inspector).get(reverse("education:school", args=[s.pk])).status_code == 200
    assert client_for(personas.inspector).get(edit).status_code == 403
    assert client_for(personas.inspector).post(reverse("education:period_delete", args=[term.pk])).status_code == 403
    assert client_for(personas.supervisor).get(edit).status_code == 200  # the street above may edit
    assert client_for(officer(s)).post(reverse("education:period_delete", args=[term.pk])).status_code == 302
    assert not CalendarPeriod.objects.filter(pk=term.pk).exists()


def test_the_summer_stays_out_of_term_targets_after_an_edit(personas, client_for):
    """Moving the spring term's end into July makes July a month in term; the summer's August stays out."""
    s = school(personas.street)
    cal = calendar(s)
    p = plan(s, year=2026, area_code="school")
    t = target(p, kind="count", activity_codes=["school/inspection"], period="month", min_per_period=1, in_term=True)
    labels = [c.label for c in compliance.evaluate([t], today=date(2026, 11, 30))[t.pk].periods]
    assert "7月" not in labels and "8月" not in labels
    spring = cal.periods.get(name="2026年春季学期")
    c = client_for(officer(s))
    data = {"kind": "term", "name": spring.name, "start": "2026-02-24", "end": "2026-07-24"}
    assert c.post(reverse("education:period_edit", args=[spring.pk]), data).status_code == 302
    labels = [c.label for c in compliance.evaluate([t], today=date(2026, 11, 30))[t.pk].periods]
    assert "7月" in labels and "8月" not in labels


# --- drills ------------------------------------------------------------------------------------------------------


def test_a_drills_problems_open_a_hazard_case_once_linked_back(personas, client_for):
    s = school(personas.street)
    d = drill(s, date(2026, 5, 20), "消防疏散", problems="三楼安全出口指示灯不亮", evacuation=195)
    c = client_for(officer(s))
    detail = c.get(reverse("records:detail", args=[d.pk])).content.decode()
    assert "3分15秒" in detail and 'data-testid="drill-hazard"' in detail
    r = c.post(reverse("education:drill_hazard", args=[d.pk]))
    case = Case.objects.get(hazard__found_in_record=d)
    assert r.status_code == 302 and r["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.org_id == s.pk and case.category == "消防" and "指示灯不亮" in case.description
    again = c.post(reverse("education:drill_hazard", args=[d.pk]))
    assert again.status_code == 302 and Case.objects.filter(hazard__found_in_record=d).count() == 1
    assert reverse("records:detail", args=[d.pk]) in c.get(r["Location"]).content.decode()
    assert case.code in c.get(reverse("records:detail", args=[d.pk])).content.decode()


def test_a_drill_without_problems_opens_nothing(personas, client_for):
    s = school(personas.street)
    d = drill(s, date(2026, 5, 20), "消防疏散")
    client_for(officer(s)).post(reverse("education:drill_hazard", args=[d.pk]))
    assert not Case.objects.filter(hazard__found_in_record=d).exists()


def test_evacuation_time_is_typed_as_people_say_it():
    from shequ.records.catalogue import DRILL_FIELDS
    from shequ.records.extra import clean_values

    assert clean_values({"evacuation": "3分20秒"}, DRILL_FIELDS) == {"evacuation": 200}
    assert clean_values({"evacuation": "4分钟"}, DRILL_FIELDS) == {"evacuation": 240}
    with pytest.raises(Exception, match="3分20秒"):
        clean_values({"evacuation": "很快"}, DRILL_FIELDS)


# --- the ledger --------------------------------------------------------------------------------------------------


def test_the_ledger_lists_each_term_and_item(personas, client_for):
    from shequ.education.tests.test_ledgers import body, docx_text, table

    s = school(personas.street)
    calendar(s)
    lesson(s, date(2026, 3, 10), "防溺水", title="防溺水安全教育课")
    c = client_for(officer(s))
    with time_machine.travel(date(2026, 11, 1)):
        xlsx = c.get(reverse("ledgers:export", args=["school-eight-items", s.pk, 2026, "xlsx"]))
        docx = c.get(reverse("ledgers:export", args=["school-eight-items", s.pk, 2026, "docx"]))
    rows = table(xlsx)
    assert len(rows) == 16
    first = rows[0]
    assert (first["学期"], first["防范内容"], first["已教育"]) == ("2026年春季学期", "防溺水", "是")
    assert "防溺水安全教育课" in first["安全教育课"]
    assert rows[8]["学期"] == "2026年秋季学期" and rows[8]["已教育"] == "否"
    assert rows[4]["已演练"] == "不适用"  # 体罚: no drill practises it
    assert "已教育 1/8 项" in docx_text(docx) and body


# --- the plan's target -------------------------------------------------------------------------------------------

TOPICS = ["防溺水", "防雷击", "防交通事故", "防传染病", "防体罚伤害", "防地质灾害", "防活动伤害", "防校舍设施事故"]


def _eight_items_target(org):
    from decimal import Decimal

    p = plan(org, year=2026, area_code="school")
    return target(p, kind="indicator", indicator="school_eight_items_coverage", comparison="gte",
                  threshold=Decimal(100), unit="%", title="八项重点防范内容每学期全覆盖")  # fmt: skip


def test_the_target_reads_the_terms_begun_this_year(personas):
    from decimal import Decimal

    s = school(personas.street)
    calendar(s)
    for n, t in enumerate(TOPICS):
        lesson(s, date(2026, 3, 2 + n), t)  # spring: all eight
    lesson(s, date(2026, 9, 10), "防溺水", "防雷击")  # autumn: two so far
    lesson(s, date(2026, 1, 8), "防交通事故")  # last autumn's January: no term of 2026
    t = _eight_items_target(s)
    with time_machine.travel(date(2026, 5, 1)):
        early = compliance.evaluate([t], today=date(2026, 5, 1))[t.pk]
    assert early.figure.value == Decimal(100) and early.total.state == compliance.State.OK
    late = compliance.evaluate([t], today=date(2026, 11, 30))[t.pk]
    assert (late.figure.numerator, late.figure.denominator) == (10, 16)
    assert late.figure.value == Decimal("62.50") and late.total.state != compliance.State.OK


def test_the_target_of_a_school_on_the_district_calendar_in_fixed_queries(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shequ.core.indicators import Period
    from shequ.education.schoolyear import figures

    calendar(personas.district)
    schools = [school(personas.street) for _ in range(3)]
    lesson(schools[0], date(2026, 3, 10), "防溺水")
    with CaptureQueriesContext(connection) as one:
        figures([schools[0].pk], Period(2026, date(2026, 11, 30)))
    with CaptureQueriesContext(connection) as three:
        found = figures([s.pk for s in schools] + [personas.community_a.pk], Period(2026, date(2026, 11, 30)))
    assert len(one.captured_queries) == len(three.captured_queries) == 4
    assert found[schools[0].pk] == (1, 16) and found[schools[1].pk] == (0, 16)
    assert personas.community_a.pk not in found


def test_the_school_officers_workbench_shows_the_terms_eight_items(personas, client_for):
    s = school(personas.street)
    calendar(s)
    lesson(s, date(2026, 10, 10), "防溺水", "防雷击")
    with time_machine.travel(date(2026, 11, 1)):
        body = client_for(officer(s)).get(reverse("dashboard")).content.decode()
        other = client_for(personas.worker_a).get(reverse("dashboard")).content.decode()
    assert "八项重点防范内容 · 2026年秋季学期" in body and "已教育 2/8" in body
    assert "八项重点防范内容" not in other
