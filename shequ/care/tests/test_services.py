"""Helper pairs and visits: who may pair whom, who may record a visit, and that a visit is a Record about the
person that takes them off 本月未走访."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.roles import Role
from shequ.care import selectors, services
from shequ.care.models import HelperPair
from shequ.care.tests.helpers import disabled, pair, special, visit, visit_type, volunteer
from shequ.records.models import Record
from shequ.testing.factories import member
from shequ.testing.files import image_bytes, upload

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _march_20():
    with time_machine.travel(datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _due(actor) -> set[tuple[int, str]]:
    found = selectors.subjects(actor, selectors.care_persons(actor, TODAY), TODAY)
    return {(s.person_id, s.category) for s in selectors.due(found, TODAY)}


def test_a_volunteer_records_a_visit_to_their_paired_person_and_the_person_leaves_the_list(personas):
    p = disabled(personas.community_a)
    v = volunteer(personas.community_a)
    pair(personas.worker_a, p, v)
    assert _due(v) == {(p.pk, "disability")}
    subject = selectors.subject_get(v, p.pk, "disability", TODAY)
    photo = upload("visit.jpg", image_bytes(), "image/jpeg")
    record = services.visit_create(
        actor=v, subject=subject, activity_type=visit_type(), date=TODAY, content="上门康复指导",
        confirmation="本人签字确认", confirmer=p.name, photos=[photo],
    )  # fmt: skip
    assert list(record.persons.all()) == [p] and record.org == personas.community_a
    assert record.extra["confirmation"] == "本人签字确认" and record.photos.count() == 1
    assert _due(v) == set() and _due(personas.worker_a) == set()


def test_a_volunteer_sees_only_their_paired_persons_and_cannot_visit_others(personas):
    mine, other = disabled(personas.community_a), disabled(personas.community_a)
    v = volunteer(personas.community_a)
    pair(personas.worker_a, mine, v)
    assert _due(v) == {(mine.pk, "disability")}
    assert _due(personas.worker_a) == {(mine.pk, "disability"), (other.pk, "disability")}
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.subject_get(v, other.pk, "disability", TODAY)


def test_a_helper_of_one_group_sees_nothing_of_the_persons_other_group(personas):
    p = disabled(personas.community_a)
    from shequ.residents.models import SpecialGroupProfile

    SpecialGroupProfile.objects.create(person=p, kind="mental", risk_level=1)
    v = volunteer(personas.community_a)
    pair(personas.worker_a, p, v)
    assert {s.category for s in selectors.person_categories(v, p.pk, TODAY)} == {"disability"}
    assert {s.category for s in selectors.person_categories(personas.worker_a, p.pk, TODAY)} == {"disability", "mental"}


def test_a_visit_of_the_wrong_line_of_work_does_not_count(personas):
    p = special(personas.community_a, "drug")
    visit(personas.worker_a, p, date(2026, 3, 5), category="disability")  # a disability record names them
    assert _due(personas.worker_a) == {(p.pk, "drug")}
    visit(personas.worker_a, p, date(2026, 3, 6), category="drug")
    assert _due(personas.worker_a) == set()


def test_an_ended_pair_takes_the_person_from_the_helper(personas):
    p = disabled(personas.community_a)
    v = volunteer(personas.community_a)
    pr = pair(personas.worker_a, p, v, started_on=date(2026, 1, 5))
    services.pair_end(actor=personas.worker_a, pair=pr, ended_on=date(2026, 3, 1), reason="志愿者迁出")
    assert _due(v) == set()
    assert selectors.my_pairs(v, TODAY) == []


def test_one_helper_per_person_and_group_at_a_time_and_only_people_of_the_place(personas):
    p = disabled(personas.community_a)
    pair(personas.worker_a, p, volunteer(personas.community_a))
    with pytest.raises(ValidationError, match="已有帮扶人"):
        pair(personas.worker_a, p, personas.leader_a)
    q = disabled(personas.community_a)
    with pytest.raises(ValidationError, match="不是社区A的工作人员或志愿者"):
        pair(personas.worker_a, q, volunteer(personas.community_b, name="B志愿者"))
    assert HelperPair.objects.count() == 1


def test_a_health_only_worker_cannot_pair_or_visit_disabled_residents(personas):
    from django.http import Http404

    from shequ.orgs.models import Area

    health = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="health")], name="健康专干")
    p = disabled(personas.community_a)
    with pytest.raises(Http404):
        pair(health, p, volunteer(personas.community_a))
    assert _due(health) == set()


def test_a_grid_worker_paired_as_helper_files_the_visit_in_their_grid(personas):
    p = disabled(personas.community_a, grid=personas.grid_a)
    pair(personas.worker_a, p, personas.grid_a_worker)
    subject = selectors.subject_get(personas.grid_a_worker, p.pk, "disability", TODAY)
    record = services.visit_create(
        actor=personas.grid_a_worker, subject=subject, activity_type=visit_type(), date=TODAY, content="走访",
        confirmation="电话确认", confirmer="家属",
    )  # fmt: skip
    assert record.org == personas.grid_a
    assert _due(personas.worker_a) == set()


def test_a_visit_needs_content_and_a_visit_type_and_a_helper_or_staff(personas):
    p = disabled(personas.community_a)
    subject = selectors.subject_get(personas.worker_a, p.pk, "disability", TODAY)
    with pytest.raises(ValidationError, match="请填写服务内容"):
        services.visit_create(
            actor=personas.worker_a, subject=subject, activity_type=visit_type(), date=TODAY, content=" "
        )
    wrong = selectors.visit_types()["mental"][0]
    with pytest.raises(ValidationError):
        services.visit_create(actor=personas.worker_a, subject=subject, activity_type=wrong, date=TODAY, content="x")
    other_volunteer = volunteer(personas.community_a)
    with pytest.raises(PermissionDenied):
        services.visit_create(
            actor=other_volunteer, subject=subject, activity_type=visit_type(), date=TODAY, content="x"
        )
    assert Record.objects.count() == 0


def test_only_an_administrator_changes_a_schedule(personas):
    from shequ.care.models import VisitSchedule

    row = VisitSchedule.objects.get(category="disability", level="")
    with pytest.raises(PermissionDenied):
        services.schedule_save(actor=personas.leader_a, schedule=row, category="disability", level="", every=2,
                               unit="month", remind_days=7)  # fmt: skip
    services.schedule_save(actor=personas.admin, schedule=row, category="disability", level="", every=2,
                           unit="month", remind_days=7)  # fmt: skip
    with pytest.raises(ValidationError):
        services.schedule_save(actor=personas.admin, schedule=None, category="disability", level="", every=5,
                               unit="month", remind_days=7)  # fmt: skip
    row.refresh_from_db()
    assert row.every == 2
