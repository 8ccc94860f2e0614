"""Documents due for review (修订) within 30 days, or past their review date: a reminder for whoever keeps the
line of work's documents in that org."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from shequ.accounts.roles import Perm
from shequ.documents.models import Document
from shequ.documents.selectors import SOON
from shequ.plans.models import Reminder, ReminderKind
from shequ.plans.reminders import recipients


def due_for_review(today: date) -> list[Reminder]:
    docs = list(
        Document.objects.current().filter(review_on__lte=today + timedelta(days=SOON)).select_related("org", "area")
    )
    keepers = recipients({d.org_id for d in docs}, Perm.RECORD_WORK)
    out = []
    for d in docs:
        late = d.review_on < today
        when = (
            f"已于{d.review_on.month}月{d.review_on.day}日到期"
            if late
            else f"将于{d.review_on.month}月{d.review_on.day}日到期"
        )
        for user_id, areas in keepers.get(d.org_id, []):
            if areas is not None and d.area_id not in areas:
                continue
            out.append(
                Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REVIEW,
                    key=f"document:{d.pk}:{d.review_on:%Y%m%d}",
                    org=d.org,
                    message=f"“{d.title}”修订{when}（{d.org.name}）",
                    url=reverse("documents:detail", args=[d.pk]),
                    due=d.review_on,
                    day=today,
                )
            )
    return out
