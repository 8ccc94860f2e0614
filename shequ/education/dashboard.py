"""Workbench card of the school year: for the staff of a school, the current term's eight key prevention items."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.education import schoolyear
from shequ.education.school_services import school_area
from shequ.orgs.models import Org, OrgKind, UnitType


def school_cards(user) -> list[dict]:
    """Nothing (and no query) for users without a membership at a school; else three queries per school."""
    grants = [g for g in access.grants(user) if g.kind == OrgKind.UNIT and g.allows(Perm.VIEW)]
    if not grants:
        return []
    schools = list(Org.objects.filter(pk__in=[g.org_id for g in grants], unit_type=UnitType.SCHOOL, is_active=True)[:3])
    if not schools:
        return []
    area, today = school_area(), timezone.localdate()
    out = []
    for school in schools:
        if not access.can(user, school, Perm.VIEW, area=area):
            continue
        terms = [t for t in schoolyear.current_terms(schoolyear.calendar_of(school), today) if today <= t.end]
        for c in schoolyear.coverage(school, terms):
            out.append(
                {
                    "label": f"八项重点防范内容 · {c.term.name}",
                    "value": f"已教育 {c.taught}/8",
                    "hint": f"已演练 {c.drilled}/{schoolyear.DRILLABLE}",
                    "url": reverse("education:school", args=[school.pk]),
                    "tone": "" if c.complete else "warn",
                }
            )
    return out
