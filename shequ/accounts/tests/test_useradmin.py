"""Administering accounts in the browser's pages: no default role, memberships added, changed and ended,
accounts disabled (never deleted), each audited; the list shows the last login."""

from __future__ import annotations

import re

from django.urls import reverse

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Role
from shequ.audit.models import AuditLog
from shequ.orgs.models import Area, OrgKind
from shequ.testing.factories import OrgFactory


def test_the_new_user_form_has_no_default_role_and_explains_each(personas, client_for):
    client = client_for(personas.admin)
    body = client.get(reverse("accounts:user_create")).content.decode()
    select = re.search(r'<select name="role"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert re.search(r'<option value="" selected>请选择角色</option>', select)
    assert "只读：查看本辖区数据" in body and "必须选择负责的条线" in body
    data = {"username": "forgot", "name": "忘选角色", "password": "Long-enough-2026!", "org": personas.community_a.pk}
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200 and "请选择角色" in response.content.decode()
    assert not User.objects.filter(username="forgot").exists()


def test_org_pickers_name_each_org_by_its_path(personas, client_for):
    OrgFactory(name="第1网格", kind=OrgKind.GRID, parent=personas.community_a)
    OrgFactory(name="第1网格", kind=OrgKind.GRID, parent=personas.community_b)
    body = client_for(personas.admin).get(reverse("accounts:user_create")).content.decode()
    assert "和平街道 / 社区A / 第1网格" in body and "和平街道 / 社区B / 第1网格" in body


def test_memberships_are_added_changed_and_ended_each_audited(personas, client_for):
    client = client_for(personas.admin)
    grid2 = OrgFactory(name="A第2网格", kind=OrgKind.GRID, parent=personas.community_a)
    user = personas.grid_a_worker
    m = Membership.objects.get(user=user)
    response = client.post(reverse("accounts:membership_change", args=[m.pk]), {f"m{m.pk}-org": grid2.pk})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.org == grid2
    health = Area.objects.get(code="health")
    client.post(
        reverse("accounts:membership_add", args=[user.pk]),
        {"new-org": personas.community_a.pk, "new-role": Role.WORKER, "new-areas": [health.pk]},
    )
    added = Membership.objects.get(user=user, role=Role.WORKER)
    assert list(added.areas.all()) == [health]
    client.post(reverse("accounts:membership_end", args=[added.pk]))
    added.refresh_from_db()
    assert not added.is_active
    actions = list(
        AuditLog.objects.filter(action__startswith="membership.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["membership.change", "membership.add", "membership.end"]
    change = AuditLog.objects.get(action="membership.change")
    assert change.detail["before"]["org"] == personas.grid_a.pk and change.detail["after"]["org"] == grid2.pk
    body = client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "已结束" in body and "A第2网格" in body


def test_an_account_is_disabled_not_deleted_and_the_list_shows_last_login(personas, client_for):
    client = client_for(personas.admin)
    client.post(reverse("accounts:user_active", args=[personas.worker_a.pk]), {"active": "0"})
    personas.worker_a.refresh_from_db()
    assert personas.worker_a.is_active is False
    assert AuditLog.objects.filter(action="user.deactivate").exists()
    body = client.get(reverse("accounts:users"), {"status": "inactive"}).content.decode()
    assert "p_worker_a" in body and "p_leader_a" not in body
    assert "从未登录" in client.get(reverse("accounts:users")).content.decode()


def test_a_leader_sees_but_cannot_manage_accounts(personas, client_for):
    url = reverse("accounts:user_detail", args=[personas.worker_a.pk])
    assert client_for(personas.leader_a).get(url).status_code == 403
    assert client_for(personas.worker_b).get(url).status_code == 404
