"""Ledgers (台账) of groups, declared for the ledger layer: the roster of the groups with their terms
(组织机构及成员名册; ``?group=`` for one group), the 会议记录 printed one page per meeting with its sign-in, minutes
and votes (``?meeting=`` for one), and the resolutions with the progress of their tasks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404

from shequ.accounts.roles import Perm
from shequ.groups.models import Attendance, Group, GroupMember, GroupTerm, Meeting, Presence, Resolution
from shequ.groups.selectors import progress
from shequ.ledgers.declare import Column, Context, Filter, Form, FormField, Kind, Ledger, Photo, parse_pk
from shequ.orgs.models import subtree_q
from shequ.plans.models import Task, TaskNote
from shequ.records.models import RecordPhoto

CHUNK = 1000


def _roster_prepare(ctx: Context) -> None:
    """With ``?group=``: that group, if the actor may see it and it lies in the org; its line of work is the
    ledger's."""
    pk = ctx.filters.get("group")
    if pk is None:
        return
    group = Group.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("area", "org").filter(pk=pk).first()
    if group is None or not group.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = group
    ctx.area = group.area


def _year_q(year: int, prefix: str = "") -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Q(**{f"{prefix}joined_on__lte": end}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": start})
    )


def _roster_rows(ctx: Context) -> Iterable[GroupMember]:
    assert ctx.year is not None
    qs = GroupMember.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "group__org__path"), _year_q(ctx.year)
    )
    if ctx.subject is not None:
        qs = qs.filter(group=ctx.subject)
    end, start = date(ctx.year, 12, 31), date(ctx.year, 1, 1)
    terms = Prefetch(
        "group__terms", queryset=GroupTerm.objects.filter(start__lte=end, end__gte=start).order_by("number")
    )
    return (
        qs.select_related("group", "group__org", "group__kind")
        .prefetch_related(terms)
        .order_by("group__org__path", "group__area__sort", "group__kind__sort", "group_id", "joined_on", "id")
        .iterator(chunk_size=CHUNK)
    )


def _terms(m: GroupMember) -> str:
    return "；".join(t.label for t in m.group.terms.all())


def _roster_title(ctx: Context) -> str:
    return f"{ctx.subject.name}成员名册" if ctx.subject is not None else "组织机构及成员名册"


ROSTER = Ledger(
    code="group-roster",
    title="组织机构及成员名册",
    area=None,
    filters=[Filter("group", "组织机构", parse_pk)],
    prepare=_roster_prepare,
    title_for=_roster_title,
    name_for=_roster_title,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("组织机构", Kind.SHORT, lambda m: m.group.name),
        Column("单位", Kind.SHORT, lambda m: m.group.org.name, on_paper=False),
        Column("类型", Kind.SHORT, lambda m: m.group.kind.name),
        Column("届次及任期", Kind.SHORT, _terms),
        Column("姓名", Kind.NAME, lambda m: m.name),
        Column("职务", Kind.SHORT, lambda m: m.role),
        Column("类别", Kind.SHORT, lambda m: m.category),
        Column("工作单位及职务", Kind.TEXT, lambda m: m.unit),
        Column("加入日期", Kind.DATE, lambda m: m.joined_on),
        Column("退出日期", Kind.DATE, lambda m: m.left_on),
    ],
    rows=_roster_rows,
)


# --- 会议记录 (one page per meeting) and the resolutions with their progress ------------------------------------


def _meetings(ctx: Context):
    assert ctx.year is not None
    qs = Meeting.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "org__path"), record__year=ctx.year
    )
    if ctx.subject is not None:
        qs = qs.filter(pk=ctx.subject.pk)
    return qs


def _minutes_prepare(ctx: Context) -> None:
    pk = ctx.filters.get("meeting")
    if pk is None:
        return
    meeting = Meeting.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("org", "area", "record").filter(pk=pk)
    found = meeting.first()
    if found is None or found.record.year != ctx.year or not found.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = found
    ctx.area = found.area


def _minutes_rows(ctx: Context) -> Iterable[Meeting]:
    return (
        _meetings(ctx)
        .select_related("record", "record__activity_type", "record__created_by", "group", "group__kind", "org")
        .prefetch_related(
            "agenda",
            "guests",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member", "user").order_by("member_id", "user_id", "id"),
            ),
            Prefetch("resolutions", queryset=Resolution.objects.order_by("number")),
            Prefetch("record__photos", queryset=RecordPhoto.objects.order_by("id")),
        )
        .order_by("record__date", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _signed(m: Meeting, status: str) -> str:
    names = [a.name for a in m.attendance.all() if a.status == status]
    return f"{'、'.join(names)}（{len(names)}人）" if names else "无"


def _quorum(m: Meeting) -> str:
    if m.quorate is None:
        return f"应到{m.expected}人，实到{m.present}人（{m.quorum_text}）"
    verdict = "达到法定人数" if m.quorate else "未达到法定人数"
    return f"应到{m.expected}人，实到{m.present}人，{verdict}（{m.group.kind.quorum_text}）"


def _agenda(m: Meeting) -> str:
    return "\n".join(f"{a.number}. {a.title}" for a in m.agenda.all())


def _guests(m: Meeting) -> str:
    return "、".join(f"{g.name}（{g.unit}）" if g.unit else g.name for g in m.guests.all()) or "无"


def _resolutions(m: Meeting) -> str:
    lines = [f"{r.number}. {r.text}（{r.votes_text}，{'通过' if r.passed else '未通过'}）" for r in m.resolutions.all()]
    return "\n".join(lines) or "无"


def _meeting_photos(m: Meeting) -> list[Photo]:
    r = m.record
    return [Photo(p.image, r.date, r.title) for p in r.photos.all()]


def _minutes_name(ctx: Context) -> str:
    m = ctx.subject
    return f"会议记录-{m.record.date:%m%d}-{m.record.title[:20]}" if m is not None else "会议记录"


MINUTES = Ledger(
    code="meeting-minutes",
    title="会议记录",
    area=None,
    orientation="portrait",
    filters=[Filter("meeting", "会议", parse_pk)],
    prepare=_minutes_prepare,
    name_for=_minutes_name,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("日期", Kind.DATE, lambda m: m.record.date),
        Column("组织机构", Kind.SHORT, lambda m: m.convener),
        Column("会议名称", Kind.SHORT, lambda m: m.record.title),
        Column("应到", Kind.NUMBER, lambda m: m.expected),
        Column("实到", Kind.NUMBER, lambda m: m.present),
        Column("法定人数", Kind.SHORT, lambda m: "不设" if m.quorate is None else ("达到" if m.quorate else "未达到")),
        Column("议题", Kind.TEXT, _agenda),
        Column("决议", Kind.TEXT, _resolutions),
        Column("照片", Kind.PHOTOS, _meeting_photos),
    ],
    rows=_minutes_rows,
    form=Form(
        title="会议记录",
        lines=[
            (FormField("会议名称", lambda m: m.record.title),),
            (FormField("时间", lambda m: m.record.date), FormField("地点", lambda m: m.record.place)),
            (FormField("主持人", lambda m: m.host), FormField("记录人", lambda m: m.recorder)),
            (FormField("到会情况", _quorum),),
            (FormField("出席", lambda m: _signed(m, Presence.PRESENT)),),
            (
                FormField("请假", lambda m: _signed(m, Presence.EXCUSED)),
                FormField("缺席", lambda m: _signed(m, Presence.ABSENT)),
            ),
            (FormField("列席", _guests),),
            (FormField("议题", _agenda),),
            (FormField("会议内容", lambda m: m.record.content, tall=True),),
            (FormField("决议及表决", _resolutions, tall=True),),
        ],
        photos=_meeting_photos,
        signatures=("记录人", "主持人"),
        maker=lambda m: m.recorder,
    ),
)


def _resolution_rows(ctx: Context) -> Iterable[Resolution]:
    assert ctx.year is not None
    notes = Prefetch("notes", queryset=TaskNote.objects.order_by("-created_at", "-id"))
    tasks = Prefetch("tasks", queryset=Task.objects.select_related("lead_org").prefetch_related(notes).order_by("id"))
    qs = Resolution.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "meeting__org__path"), meeting__record__year=ctx.year
    )
    return (
        qs.select_related("meeting", "meeting__record", "meeting__group", "meeting__org")
        .prefetch_related(tasks)
        .order_by("meeting__record__date", "meeting_id", "number")
        .iterator(chunk_size=CHUNK)
    )


def _tasks_text(r: Resolution) -> str:
    return "\n".join(
        f"{t.title}（牵头：{t.lead_org.name if t.lead_org_id else '—'}；责任人：{t.responsible or '—'}；"
        f"时限：{t.due.month}月{t.due.day}日；{t.get_status_display()}）"
        for t in r.tasks.all()
    )


RESOLUTIONS = Ledger(
    code="resolutions",
    title="会议决议及落实情况台账",
    area=None,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("会议日期", Kind.DATE, lambda r: r.meeting.record.date),
        Column("组织机构", Kind.SHORT, lambda r: r.meeting.convener),
        Column("决议事项", Kind.TEXT, lambda r: r.text),
        Column("表决", Kind.SHORT, lambda r: r.votes_text),
        Column("结果", Kind.SHORT, lambda r: "通过" if r.passed else "未通过"),
        Column("落实任务", Kind.TEXT, _tasks_text),
        Column("进度", Kind.SHORT, lambda r: progress(r)["text"]),
        Column("最新进展", Kind.TEXT, lambda r: progress(r)["latest"]),
    ],
    rows=_resolution_rows,
)

LEDGERS = (ROSTER, MINUTES, RESOLUTIONS)
