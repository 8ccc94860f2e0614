"""Every write of a school calendar (校历): a school's own calendar (copied from the one above it), and its periods
added, changed and removed by the staff of its school (or the district's default, by the district's staff)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.cases.models import CaseType
from shequ.cases.services import case_register
from shequ.education.models import CalendarKind, CalendarPeriod, SchoolCalendar
from shequ.orgs.models import Area, Org
from shequ.records.models import Record

SCHOOL_AREA = "school"
# The hazard category (隐患类别) of what a drill of each kind found.
DRILL_HAZARD_KIND = {"消防疏散": "消防", "防震避险": "地质灾害", "防溺水": "溺水", "交通安全": "交通", "防踩踏": "校舍"}
MAX_DAYS = {CalendarKind.TERM: 250, CalendarKind.HOLIDAY: 90, CalendarKind.EXAM: 21, CalendarKind.SAFETY_WEEK: 31}


def school_area() -> Area:
    return Area.objects.get(code=SCHOOL_AREA)


def can_edit(actor: User, org: Org) -> bool:
    """The staff of the calendar's org (or above it) who write the school line's plans edit its calendar."""
    return access.can(actor, org, Perm.EDIT_PLANS, area=school_area())


def calendar_own(*, actor: User, org: Org, source: SchoolCalendar | None) -> SchoolCalendar:
    """Give ``org`` a calendar of its own, starting from a copy of ``source`` (the one it ran on)."""
    access.check(actor, org, Perm.EDIT_PLANS, area=school_area())
    with transaction.atomic():
        if SchoolCalendar.objects.filter(org=org).exists():
            raise ValidationError(f"{org.name}已有自己的校历。")
        cal = SchoolCalendar.objects.create(org=org, name=f"{org.name}校历")
        if source is not None:
            CalendarPeriod.objects.bulk_create(
                CalendarPeriod(calendar=cal, kind=p.kind, name=p.name, start=p.start, end=p.end)
                for p in source.periods.all()
            )
        audit(actor, "education.calendar", cal, {"copied_from": getattr(source, "pk", None)}, org=org)
    return cal


def _check_period(period: CalendarPeriod) -> None:
    if period.start and period.end and period.end < period.start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    longest = MAX_DAYS.get(CalendarKind(period.kind))
    if longest and (period.end - period.start).days + 1 > longest:
        raise ValidationError({"end": f"{period.get_kind_display()}不能超过{longest}天，请检查日期。"})
    if period.kind == CalendarKind.TERM:
        clash = (
            CalendarPeriod.objects.filter(
                calendar_id=period.calendar_id, kind=CalendarKind.TERM, start__lte=period.end, end__gte=period.start
            )
            .exclude(pk=period.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {"start": f"与学期“{clash.name}”（{_cn(clash.start)}至{_cn(clash.end)}）重叠，学期之间不能重叠。"}
            )


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_save(
    *, actor: User, calendar: SchoolCalendar, kind: str, name: str, start: date, end: date, period=None
) -> CalendarPeriod:
    """Add a period to ``calendar`` or change ``period``; terms may not overlap one another."""
    access.check(actor, calendar.org, Perm.EDIT_PLANS, area=school_area())
    with transaction.atomic():
        SchoolCalendar.objects.select_for_update().filter(pk=calendar.pk).first()  # one editor of a calendar at once
        row = period or CalendarPeriod(calendar=calendar)
        before = {"kind": row.kind, "name": row.name, "start": str(row.start), "end": str(row.end)} if period else {}
        row.kind, row.name, row.start, row.end = kind, name.strip()[:50], start, end
        if not row.name:
            raise ValidationError({"name": "请填写名称，如：2027年春季学期、暑假。"})
        _check_period(row)
        row.save()
        after = {"kind": kind, "name": row.name, "start": str(start), "end": str(end)}
        audit(actor, "education.period", row, {"before": before, "after": after}, org=calendar.org)
    return row


def period_delete(*, actor: User, period: CalendarPeriod) -> None:
    calendar = period.calendar
    access.check(actor, calendar.org, Perm.EDIT_PLANS, area=school_area())
    with transaction.atomic():
        detail = {"kind": period.kind, "name": period.name, "start": str(period.start), "end": str(period.end)}
        audit(actor, "education.period_delete", period, detail, org=calendar.org)
        period.delete()


def drill_hazard(*, actor: User, record: Record) -> object:
    """Open a hazard case (安全隐患) from the problems a drill found, linked back to the drill (排查记录)."""
    problems = str(record.extra.get("problems") or "").strip()
    if not problems:
        raise ValidationError("这次演练没有填写“发现的问题”，请先编辑演练记录写明问题。")
    case_type = CaseType.objects.get(code="hazard")
    with transaction.atomic():
        Record.objects.select_for_update().filter(pk=record.pk).first()  # one case however often it is pressed
        if record.hazards.exists():
            raise ValidationError("这次演练发现的问题已登记为安全隐患。")
        return _register(actor, case_type, record, problems)


def _register(actor: User, case_type: CaseType, record: Record, problems: str):
    return case_register(
        actor=actor,
        case_type=case_type,
        org=record.org,
        area=record.area,
        title=f"演练发现：{problems.splitlines()[0][:60]}",
        description=f"{record.date:%Y年%m月%d日}“{record.title}”演练中发现的问题：\n{problems}",
        registered_on=record.date,
        place=record.place,
        category=DRILL_HAZARD_KIND.get(str(record.extra.get("drill_kind")), "其他"),
        reporter_name=actor.display_name,
        detail={"found_in_record": record, "found_by": str(record.extra.get("commander") or "")[:50]},
    )
