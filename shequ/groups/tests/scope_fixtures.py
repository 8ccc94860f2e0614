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


URL_OBJECTS = {
    "groups:detail": _pk,
    "groups:edit": _pk,
    "groups:term_create": _pk,
    "groups:member_add": _pk,
    "groups:member_leave": _member,
}

# The objects lie in 社区A in the health line of work: area-bound staff of other lines get 404.
AREA = "health"
