"""Security alerts in the bell: a burst of refusals from one account tells the administrators above it.

The audit log counts the refusals and calls :func:`refusal_burst` (provided to it in ``PlansConfig.ready``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Perm, role_has
from shequ.orgs.models import Org
from shequ.plans.models import Reminder, ReminderKind


def _administrators(org_id: int | None) -> set[int]:
    """Users who manage users at the org or above it; the superusers when the org has none."""
    org = Org.objects.filter(pk=org_id).only("path").first() if org_id else None
    found: set[int] = set()
    if org is not None:
        above = [*org.ancestor_ids, org.pk]
        for m in Membership.objects.filter(is_active=True, user__is_active=True, org_id__in=above).only(
            "user_id", "role"
        ):
            if role_has(m.role, Perm.MANAGE_USERS):
                found.add(m.user_id)
    if not found:
        found = set(User.objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True))
    return found


def refusal_burst(*, user, org_id: int | None, count: int, minutes: int) -> None:
    now = timezone.now()
    url = reverse("audit:list") + "?" + urlencode({"who": user.username, "success": "0"})
    Reminder.objects.bulk_create(
        [
            Reminder(
                user_id=admin_id,
                kind=ReminderKind.SECURITY,
                key=f"refusals:{user.pk}:{now:%Y%m%d%H%M}",
                org_id=org_id,
                message=f"账号“{user.display_name}”（{user.username}）{minutes}分钟内被拒绝访问{count}次，请核查。",
                url=url,
                day=timezone.localdate(now),
            )
            for admin_id in _administrators(org_id) - {user.pk}
        ],
        ignore_conflicts=True,
    )
