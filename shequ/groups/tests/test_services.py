from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.roles import Role
from shequ.audit.models import AuditLog
from shequ.groups import services
from shequ.groups.models import GroupMember
from shequ.groups.tests.helpers import group, residents
from shequ.orgs.models import Area
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def test_a_group_is_founded_with_its_first_term_and_audited(personas):
    g = group(personas.worker_a, personas.community_a, members=3)
    assert [t.number for t in g.terms.all()] == [1]
    assert g.members.filter(left_on__isnull=True).count() == 3
    assert AuditLog.objects.filter(action="group.create", object_id=str(g.pk)).exists()
    assert AuditLog.objects.filter(action="group.member_add").count() == 3


def test_a_worker_of_another_line_may_not_found_a_group_of_this_one(personas):
    safety_only = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="safety")])
    with pytest.raises(PermissionDenied):
        group(safety_only, personas.community_a)


def test_a_worker_of_community_b_may_not_add_members_in_a(personas):
    g = group(personas.worker_a, personas.community_a)
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=personas.worker_b,
            group=g,
            person=residents(personas.community_b, 1)[0],
            role="成员",
            joined_on=date(2026, 2, 1),
        )


def test_a_role_the_kind_does_not_have_is_refused_in_chinese(personas):
    g = group(personas.worker_a, personas.community_a)
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=personas.worker_a, group=g, person=residents(personas.community_a, 1)[0], role="队长",
            joined_on=date(2026, 2, 1),
        )  # fmt: skip
    assert "组长、副组长、成员、联络员" in str(exc.value)


def test_the_council_needs_a_member_category(personas):
    g = group(personas.worker_a, personas.community_a, area="selfgov", kind_code="council", name="协商议事委员会")
    person = residents(personas.community_a, 1)[0]
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=personas.worker_a, group=g, person=person, role="委员", joined_on=date(2026, 2, 1))
    assert "成员类别" in str(exc.value)
    m = services.member_add(
        actor=personas.worker_a, group=g, person=person, role="委员", category="物业", joined_on=date(2026, 2, 1)
    )
    assert m.category == "物业"


def test_a_resident_the_worker_cannot_see_is_refused(personas):
    g = group(personas.worker_a, personas.community_a)
    stranger = residents(personas.community_b, 1)[0]
    with pytest.raises(ValidationError, match="管辖范围"):
        services.member_add(actor=personas.worker_a, group=g, person=stranger, role="成员", joined_on=date(2026, 2, 1))


def test_a_staff_account_of_the_org_may_sit_in_the_group_and_one_of_another_may_not(personas):
    g = group(personas.worker_a, personas.community_a)
    m = services.member_add(
        actor=personas.worker_a, group=g, user=personas.leader_a, role="组长", joined_on=date(2026, 2, 1)
    )
    assert m.name == personas.leader_a.display_name
    with pytest.raises(ValidationError, match="不是"):
        services.member_add(
            actor=personas.worker_a, group=g, user=personas.worker_b, role="成员", joined_on=date(2026, 2, 1)
        )


def test_leaving_keeps_the_member_in_the_history_and_one_may_join_again(personas):
    g = group(personas.worker_a, personas.community_a, members=2)
    m = g.members.order_by("id").last()
    services.member_leave(actor=personas.worker_a, member=m, left_on=date(2026, 6, 30), note="迁出")
    with pytest.raises(ValidationError):
        services.member_leave(actor=personas.worker_a, member=m, left_on=date(2026, 7, 1))
    again = services.member_add(
        actor=personas.worker_a, group=g, person=m.person, role="成员", joined_on=date(2026, 9, 1)
    )
    rows = GroupMember.objects.filter(group=g, person=m.person).order_by("joined_on")
    assert [(r.left_on, r.leave_note) for r in rows] == [(date(2026, 6, 30), "迁出"), (None, "")]
    assert again.current_on(date(2026, 9, 1)) and not rows[0].current_on(date(2026, 7, 1))


def test_a_member_twice_in_office_is_refused(personas):
    g = group(personas.worker_a, personas.community_a, members=1)
    m = g.members.get()
    with pytest.raises(ValidationError, match="已是"):
        services.member_add(actor=personas.worker_a, group=g, person=m.person, role="成员", joined_on=date(2026, 3, 1))


def test_renewal_numbers_the_terms_and_refuses_one_that_starts_too_early(personas):
    g = group(personas.worker_a, personas.community_a)
    t2 = services.term_renew(actor=personas.worker_a, group=g, start=date(2030, 1, 1), end=date(2032, 12, 31))
    assert t2.number == 2 and t2.label == "第2届（2030年1月—2032年12月）"
    with pytest.raises(ValidationError):
        services.term_renew(actor=personas.worker_a, group=g, start=date(2029, 1, 1), end=date(2031, 1, 1))
    with pytest.raises(ValidationError, match="晚于"):
        services.term_renew(actor=personas.worker_a, group=g, start=date(2033, 1, 1), end=date(2032, 1, 1))
