"""Meetings of an org without a group (its staff sign in, no quorum), and a saved sign-in edited — on the meeting's
own page or through the record's sign-in list — with one list of the persons present, reckoned again and audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.groups import meetings, signin
from shequ.groups.tests.helpers import group, meeting, residents
from shequ.records import services as record_services
from shequ.records.models import ActivityType

pytestmark = pytest.mark.django_db

# Queries of the sign-in page, of the org meetings' list and of a meeting's page, whatever their sizes.
SIGNIN, ORG_LIST, MEETING = 17, 13, 17


def _committee_type():
    return ActivityType.objects.get(area__code="selfgov", code="committee_meeting")


def org_meeting(p, statuses: dict | None = None, guests=(("街道联络员", "和平街道"),)):
    staff = meetings.org_staff(p.community_a)
    attendance = {u.pk: (statuses or {}).get(u.pk, "present") for u in staff}
    return meetings.org_meeting_create(
        actor=p.worker_a, org=p.community_a, activity_type=_committee_type(), date=date(2026, 3, 5),
        title="居委会工作会议", attendance=attendance, guests=guests, minutes="研究三月工作。",
    )  # fmt: skip


def _statuses(m) -> dict[str, str]:
    return {a.name: a.status for a in signin.rows(m)}


def test_an_org_meeting_signs_in_the_orgs_staff_and_guests_without_quorum(personas):
    m = org_meeting(personas, {personas.leader_a.pk: "excused"})
    assert m.group is None and m.quorate is None and (m.present, m.expected) == (1, 2)
    assert _statuses(m) == {"社区A专干": "present", "社区A书记": "excused"}
    assert m.record.participant_count == 2 and m.guests.get().name == "街道联络员"
    assert m.record.extra.get("absent", "社区A书记（请假）") == "社区A书记（请假）"


def test_an_org_meetings_resolution_passes_with_more_than_half_of_those_present(personas):
    m = org_meeting(personas)
    assert meetings.resolution_add(actor=personas.worker_a, meeting=m, text="开展春季大扫除", votes_for=2).passed
    half = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="更换门禁", votes_for=1, votes_against=1)
    assert not half.passed
    with pytest.raises(ValidationError, match="不能超过实到人员2人"):
        meetings.resolution_add(actor=personas.worker_a, meeting=m, text="多投", votes_for=3)


def test_an_org_meeting_needs_every_staff_member_signed_in_and_the_orgs_right(personas):
    with pytest.raises(ValidationError, match="请为每位工作人员选择"):
        meetings.org_meeting_create(actor=personas.worker_a, org=personas.community_a, activity_type=_committee_type(),
                                    date=date(2026, 3, 5), title="会议", attendance={})  # fmt: skip
    with pytest.raises(PermissionDenied):  # another community's worker
        meetings.org_meeting_create(actor=personas.worker_b, org=personas.community_a, activity_type=_committee_type(),
                                    date=date(2026, 3, 5), title="会议", attendance={})  # fmt: skip


def test_the_org_meeting_form_and_pages(personas, client_for):
    client = client_for(personas.worker_a)
    url = reverse("groups:org_meeting_create") + f"?org={personas.community_a.pk}&area=selfgov"
    form = client.get(url).content.decode()
    assert "社区A专干" in form and "社区A书记" in form and "居委会工作会议" in form
    staff = meetings.org_staff(personas.community_a)
    data = {"activity_type": _committee_type().pk, "date": "2026-03-05", "title": "三月居委会工作会议",
            "guests": "王经理，物业公司", "minutes": "研究三月工作。"}  # fmt: skip
    data |= {f"att_{u.pk}": "present" for u in staff}
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(r.url).content.decode()
    assert "单位会议，不设法定人数" in page and "王经理（物业公司）" in page and "修改签到" in page
    listed = client.get(reverse("groups:org_meetings")).content.decode()
    assert "三月居委会工作会议" in listed
    assert (
        "三月居委会工作会议" not in client_for(personas.worker_b).get(reverse("groups:org_meetings")).content.decode()
    )
    assert client_for(personas.worker_b).get(r.url).status_code == 404


def test_editing_the_sign_in_reckons_quorum_again_writes_the_records_list_and_is_audited(personas):
    g = group(personas.worker_a, personas.community_a, members=4)
    m = meeting(personas.worker_a, g, present=2)  # 2 of 4: not more than half
    assert not m.quorate and m.record.persons.count() == 2
    rows = signin.rows(m)
    wanted = {a.pk: "present" for a in rows[:3]} | {rows[3].pk: "excused"}
    signin.signin_update(actor=personas.worker_a, meeting=m, attendance=wanted, guests=[("张医生", "卫生站")])
    m.refresh_from_db()
    assert (m.present, m.quorate) == (3, True)
    assert set(m.record.persons.values_list("pk", flat=True)) == {a.member.person_id for a in rows[:3]}
    assert m.record.participant_count == 4 and m.guests.get().name == "张医生"
    entry = AuditLog.objects.filter(action="meeting.signin").get()
    assert entry.detail["present"] == [2, 3] and entry.detail["quorate"] == [False, True]
    assert [c[1:] for c in entry.detail["changes"]] == [["缺席", "出席"], ["缺席", "请假"]]


def test_a_sign_in_edit_that_would_undo_a_vote_is_refused_and_changes_nothing(personas):
    g = group(personas.worker_a, personas.community_a, members=4)
    m = meeting(personas.worker_a, g, present=3)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="开展控烟宣传", votes_for=3)
    rows = signin.rows(m)
    with pytest.raises(ValidationError, match="第1项决议已有3人表决"):
        signin.signin_update(actor=personas.worker_a, meeting=m, attendance={a.pk: "absent" for a in rows}, guests=[])
    m.refresh_from_db()
    assert m.present == 3 and m.record.persons.count() == 3 and r.passed
    assert not AuditLog.objects.filter(action="meeting.signin").exists()


def test_a_resolution_carried_out_by_tasks_keeps_the_quorum_it_was_passed_under(personas):
    g = group(personas.worker_a, personas.community_a, members=5)
    m = meeting(personas.worker_a, g, present=3)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="开展控烟宣传", votes_for=2)
    meetings.resolution_task(actor=personas.leader_a, resolution=r, title="控烟宣传", due=date(2026, 9, 30))
    rows = signin.rows(m)
    # Without tasks a lost quorum would fail the resolution; with tasks the edit is refused.
    wanted = {a.pk: a.status for a in rows} | {rows[2].pk: "excused"}
    with pytest.raises(ValidationError, match="已分解为任务"):
        signin.signin_update(actor=personas.worker_a, meeting=m, attendance=wanted, guests=[])


def test_the_records_sign_in_list_edited_on_the_record_moves_the_members_sign_in(personas):
    g = group(personas.worker_a, personas.community_a, members=4)
    m = meeting(personas.worker_a, g, present=3, excused=1)
    rows = signin.rows(m)
    outsider = residents(personas.community_a, 1)[0]
    # On the record's page: the third member taken off the list, the excused one and a non-member put on it.
    listed = [rows[0].member.person_id, rows[1].member.person_id, rows[3].member.person_id, outsider.pk]
    record_services.record_update(actor=personas.worker_a, record=m.record, persons=listed)
    m.refresh_from_db()
    assert [a.status for a in signin.rows(m)] == ["present", "present", "absent", "present"]
    assert (m.present, m.quorate) == (3, True)
    entry = AuditLog.objects.filter(action="meeting.signin").get()
    assert entry.detail["source"] == "record" and len(entry.detail["changes"]) == 2
    # And back on the meeting's page: the non-member stays on the record's list; the lists never diverge.
    rows = signin.rows(m)
    signin.signin_update(actor=personas.worker_a, meeting=m, attendance={a.pk: "present" for a in rows}, guests=[])
    m.refresh_from_db()
    members = {a.member.person_id for a in rows}
    assert set(m.record.persons.values_list("pk", flat=True)) == members | {outsider.pk}
    assert m.present == 4


def test_editing_the_sign_in_from_the_page(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    m = meeting(personas.worker_a, g, present=1)
    rows = signin.rows(m)
    client = client_for(personas.worker_a)
    url = reverse("groups:meeting_signin", args=[m.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"att_{rows[0].pk}": "present", "guests": ""})
    assert bad.status_code == 200 and "请选择出席、请假或缺席" in bad.content.decode()
    data = {f"att_{a.pk}": "present" for a in rows} | {"guests": "李主任，街道办"}
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert (m.present, m.quorate, m.guests.get().unit) == (3, True, "街道办")
    inspector = client_for(personas.inspector)
    assert url not in inspector.get(reverse("groups:meeting", args=[m.pk])).content.decode()
    assert inspector.get(url).status_code == 403
    assert client_for(personas.worker_b).get(url).status_code == 404


@pytest.mark.parametrize("n", [3, 24])
def test_the_sign_in_and_org_pages_run_a_fixed_number_of_queries(
    n, personas, client_for, django_assert_max_num_queries
):
    g = group(personas.worker_a, personas.community_a, members=n)
    m = meeting(personas.worker_a, g, present=n // 2 + 1)
    for _ in range(n // 3):
        org_meeting(personas)
    om = org_meeting(personas)
    client = client_for(personas.worker_a)
    client.get(reverse("groups:org_meetings"))
    with django_assert_max_num_queries(SIGNIN):
        assert client.get(reverse("groups:meeting_signin", args=[m.pk])).status_code == 200
    with django_assert_max_num_queries(ORG_LIST):
        assert client.get(reverse("groups:org_meetings")).status_code == 200
    with django_assert_max_num_queries(MEETING):
        assert client.get(reverse("groups:meeting", args=[om.pk])).status_code == 200


def test_the_record_page_edits_the_same_sign_in_list(personas, client_for):
    from shequ.testing.forms import form_values

    g = group(personas.worker_a, personas.community_a, members=3)
    m = meeting(personas.worker_a, g, present=3)
    rows = signin.rows(m)
    client = client_for(personas.worker_a)
    url = reverse("records:edit", args=[m.record.pk])
    data = form_values(client.get(url).content.decode())
    data["persons"] = [str(rows[0].member.person_id), str(rows[1].member.person_id)]
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert [a.status for a in signin.rows(m)] == ["present", "present", "absent"] and m.present == 2
    page = client.get(reverse("groups:meeting", args=[m.pk])).content.decode()
    assert f"{rows[2].member.name} · 缺席" in page and "实到2人" in page
