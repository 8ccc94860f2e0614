"""Reports owed: from a week before a period's due day until it is reported, the staff who report for the owing org
get a reminder (将于…截止, then 已逾期…天); a returned report is owed again. Read by ``plans.reminders`` once a day:
the bell clears when the report is submitted."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from shequ.accounts.roles import Perm
from shequ.orgs.models import Org
from shequ.plans.models import Reminder, ReminderKind
from shequ.plans.reminders import recipients
from shequ.reports.models import ReportForm, State, Submission
from shequ.reports.periods import current

AHEAD = 7  # days before the due day the reminder starts


def owed_reports(today: date) -> list[Reminder]:
    forms = []
    for form in ReportForm.objects.filter(is_active=True).select_related("area"):
        period = current(form.cycle, today, form.due_day, form.due_lag)
        if today >= period.due - timedelta(days=AHEAD):
            forms.append((form, period))
    if not forms:
        return []
    kinds = {k for form, _p in forms for k in form.kinds}
    orgs = list(Org.objects.filter(kind__in=kinds, is_active=True).only("pk", "name", "kind"))
    asked = Q()
    for form, period in forms:
        asked |= Q(form=form, year=period.year, period_no=period.no)
    reported = set(Submission.objects.filter(asked).exclude(state=State.RETURNED).values_list("form_id", "org_id"))
    keepers = recipients({o.pk for o in orgs}, Perm.RECORD_WORK)
    out = []
    for form, period in forms:
        late = (today - period.due).days
        when = f"已逾期{late}天" if late > 0 else f"将于{period.due.month}月{period.due.day}日截止"
        kind = ReminderKind.REPORT_LATE if late > 0 else ReminderKind.REPORT_DUE
        for org in orgs:
            if org.kind not in form.kinds or (form.pk, org.pk) in reported:
                continue
            url = reverse("reports:fill", args=[form.code, org.pk, period.year, period.no])
            for user_id, areas in keepers.get(org.pk, []):
                if areas is not None and form.area_id not in areas:
                    continue
                out.append(
                    Reminder(
                        user_id=user_id,
                        kind=kind,
                        key=f"report:{form.pk}:{org.pk}:{period.year}-{period.no}:{kind}",
                        org=org,
                        message=f"{org.name}“{form.name}”（{period.label}）{when}",
                        url=url,
                        due=period.due,
                        day=today,
                    )
                )
    return out
