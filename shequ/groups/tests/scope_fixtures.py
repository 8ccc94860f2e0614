"""Classification of the groups' URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _group(p):
    """社区A's health group with two members (made once; the matrix asks for it URL by URL)."""
    from shequ.groups.models import Group
    from shequ.groups.tests.helpers import group

    found = Group.objects.filter(org=p.community_a, name="健康教育领导小组").first()
    return found or group(p.worker_a, p.community_a, members=2)


def _pk(p):
    return {"pk": _group(p).pk}


def _member(p):
    return {"pk": _group(p).members.first().pk}


def _meeting(p):
    from datetime import date

    from shequ.groups import meetings
    from shequ.groups.models import Meeting
    from shequ.records.models import ActivityType

    g = _group(p)
    found = Meeting.objects.filter(group=g).first()
    if found is None:
        kind = ActivityType.objects.get(area__code="health", code="group_meeting")
        found = meetings.meeting_create(
            actor=p.worker_a, group=g, activity_type=kind, date=date(2026, 3, 1), title="领导小组会议",
            attendance={m.pk: "present" for m in g.members.all()},
        )  # fmt: skip
        meetings.resolution_add(actor=p.worker_a, meeting=found, text="开展控烟宣传", votes_for=2)
    return found


def _meeting_pk(p):
    return {"pk": _meeting(p).pk}


def _resolution(p):
    return {"pk": _meeting(p).resolutions.get().pk}


URL_OBJECTS = {
    "groups:meetings": _pk,
    "groups:meeting_create": _pk,
    "groups:meeting": _meeting_pk,
    "groups:meeting_signin": _meeting_pk,
    "groups:resolution_add": _meeting_pk,
    "groups:resolution_task": _resolution,
    "groups:detail": _pk,
    "groups:edit": _pk,
    "groups:term_create": _pk,
    "groups:member_add": _pk,
    "groups:member_leave": _member,
    "api:get_group": lambda p: {"group_id": _group(p).pk},
    "api:list_meetings": lambda p: {"group_id": _meeting(p).group_id},
}

# The objects lie in 社区A in the health line of work: area-bound staff of other lines get 404.
AREA = "health"
