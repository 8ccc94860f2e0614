"""Ledgers of care, declared for the ledger layer: the 建档立卡 card of each disabled resident under care (one A4
page per person; ``?person=`` for one), and the 康复服务记录表, the month's visits and services of an org
(``?month=`` for one month)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import Http404

from shequ.accounts.roles import Perm
from shequ.care import selectors, selectors_person
from shequ.care.models import NeedsAssessment, ServicePlan
from shequ.ledgers.declare import Column, Context, Filter, Form, FormField, Kind, Ledger, parse_pk
from shequ.orgs.models import subtree_q
from shequ.records.models import Record
from shequ.residents.models import DisabilityProfile, Person

CHUNK = 1000


def _month(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError("月份应为1–12。")
    return int(text)


@dataclass
class Card:
    """What one card shows: the person, their disability profile, needs, plan, helper and year of visits."""

    person: Person
    profile: DisabilityProfile
    line: selectors_person.CareLine
    assessment: NeedsAssessment | None
    plan: ServicePlan | None

    @property
    def needs(self) -> str:
        return selectors_person.needs_text(self.assessment)

    @property
    def plan_text(self) -> str:
        if self.plan is None:
            return "本年未制定"
        items = "；".join(f"{i.service}（{i.provider}，{i.frequency}）" for i in self.plan.items.all())
        return f"{self.plan.goal}\n{items}".strip()

    @property
    def visits(self) -> str:
        s = self.line.subject
        done = f"{len(self.line.visits)}次" + (f"，最近{s.last_visit:%Y年%m月%d日}" if s.last_visit else "")
        missed = "、".join(self.line.missed_labels)
        return done + (f"；未走访：{missed}" if missed else "；无漏访")


def _card_prepare(ctx: Context) -> None:
    pk = ctx.filters.get("person")
    if pk is None:
        return
    person = Person.objects.visible_to(ctx.actor).select_related("org").filter(pk=pk).first()
    if person is None or not person.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = person


def _cards(ctx: Context) -> Iterable[Card]:
    assert ctx.year is not None
    today = min(ctx.today, date(ctx.year, 12, 31))
    persons = selectors.care_persons(ctx.actor, today).filter(subtree_q(ctx.org.path, "org__path"))
    if ctx.subject is not None:
        persons = persons.filter(pk=ctx.subject.pk)
    profiles = DisabilityProfile.objects.visible_to(ctx.actor, Perm.EXPORT).filter(person__in=persons)
    by_person = {p.person_id: p for p in profiles.select_related("person", "person__org", "person__grid")}
    ids = sorted(by_person)
    lines = selectors_person.care_lines(ctx.actor, ids, today)
    assessed = selectors_person.latest_assessments(ctx.actor, ids)
    plans = selectors_person.plans(ctx.actor, ids, ctx.year)
    for pid in sorted(ids, key=lambda i: (by_person[i].person.name_pinyin, i)):
        line = next((ln for ln in lines.get(pid, []) if ln.subject.category == "disability"), None)
        if line is None:
            continue
        yield Card(
            by_person[pid].person,
            by_person[pid],
            line,
            assessed.get((pid, "disability")),
            plans.get((pid, "disability")),
        )


def _card_name(ctx: Context) -> str:
    return f"建档立卡-{ctx.subject.name}" if ctx.subject is not None else "建档立卡"


def _guardian(c: Card) -> str:
    p = c.profile
    return f"{p.guardian_name} {p.guardian_phone}".strip() or "—"


CARD = Ledger(
    code="care-card",
    title="残疾人康复服务档案（建档立卡）",
    area="disability",
    orientation="portrait",
    filters=[Filter("person", "居民", parse_pk)],
    prepare=_card_prepare,
    name_for=_card_name,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("姓名", Kind.NAME, lambda c: c.person.name),
        Column("性别", Kind.SHORT, lambda c: c.person.get_gender_display()),
        Column("出生日期", Kind.DATE, lambda c: c.person.birth_date),
        Column("证件号码", Kind.CODE, lambda c: c.person.id_masked),
        Column(
            "残疾类别等级", Kind.SHORT, lambda c: f"{c.profile.get_category_display()}{c.profile.get_grade_display()}"
        ),
        Column("住址", Kind.TEXT, lambda c: c.person.address),
        Column("帮扶人", Kind.NAME, lambda c: c.line.subject.helper or "未结对"),
        Column("需求及状态", Kind.TEXT, lambda c: c.needs),
        Column("本年走访", Kind.TEXT, lambda c: c.visits),
    ],
    rows=_cards,
    form=Form(
        title="残疾人康复服务档案（建档立卡）",
        lines=[
            (FormField("姓名", lambda c: c.person.name), FormField("性别", lambda c: c.person.get_gender_display())),
            (FormField("出生日期", lambda c: c.person.birth_date), FormField("证件号码", lambda c: c.person.id_masked)),
            (
                FormField("残疾类别", lambda c: c.profile.get_category_display()),
                FormField("残疾等级", lambda c: c.profile.get_grade_display()),
            ),
            (FormField("住址", lambda c: f"{c.person.org.name} {c.person.address}".strip()),),
            (FormField("监护人及电话", _guardian), FormField("联系电话", lambda c: c.person.phone)),
            (
                FormField("经济情况", lambda c: c.profile.get_economic_situation_display()),
                FormField("帮扶人", lambda c: c.line.subject.helper or "未结对"),
            ),
            (FormField("家庭情况", lambda c: c.profile.family_situation),),
            (
                FormField(
                    "残疾及康复情况",
                    lambda c: f"{c.profile.disability_situation}\n{c.profile.rehabilitation_situation}".strip(),
                ),
            ),
            (FormField("基本服务需求", lambda c: c.needs, tall=True),),
            (FormField("年度服务计划", lambda c: c.plan_text, tall=True),),
            (FormField("本年走访服务", lambda c: c.visits),),
        ],
        signatures=("建档人", "残疾人或监护人"),
    ),
)


def _services(ctx: Context) -> Iterable[Record]:
    assert ctx.year is not None
    types = [t.pk for t in selectors.visit_types()["disability"]]
    qs = Record.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "org__path"), year=ctx.year, activity_type_id__in=types
    )
    if ctx.filters.get("month"):
        qs = qs.filter(date__month=ctx.filters["month"])
    persons = Prefetch("persons", queryset=Person.objects.select_related("disability").order_by("id"))
    return (
        qs.select_related("activity_type", "created_by")
        .prefetch_related(persons)
        .order_by("date", "id")
        .iterator(chunk_size=CHUNK)
    )


def _served(r: Record) -> str:
    return "、".join(p.name for p in r.persons.all()) or r.extra.get("served", "")


def _disability(r: Record) -> str:
    out = []
    for p in r.persons.all():
        d = getattr(p, "disability", None)
        if d is not None:
            out.append(f"{d.get_category_display()}{d.grade}级")
    return "、".join(out)


def _items(r: Record) -> str:
    items = r.extra.get("care_items") or []
    return "、".join(items) if isinstance(items, list) else str(items)


def _confirmed(r: Record) -> str:
    c, who = r.extra.get("confirmation", ""), r.extra.get("confirmer", "")
    return f"{c}（{who}）" if c and who else c


def _services_title(ctx: Context) -> str:
    month = ctx.filters.get("month")
    return f"康复服务记录表（{ctx.year}年{month}月）" if month else f"康复服务记录表（{ctx.year}年）"


SERVICES = Ledger(
    code="rehab-services",
    title="康复服务记录表",
    area="disability",
    filters=[Filter("month", "月份", _month)],
    title_for=_services_title,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("日期", Kind.DATE, lambda r: r.date),
        Column("服务对象", Kind.NAME, _served),
        Column("残疾类别", Kind.SHORT, _disability),
        Column("服务类型", Kind.SHORT, lambda r: r.activity_type.name),
        Column("服务项目", Kind.SHORT, _items),
        Column("服务方式", Kind.SHORT, lambda r: r.extra.get("care_way", "")),
        Column("服务情况", Kind.TEXT, lambda r: r.content),
        Column("服务对象确认", Kind.SHORT, _confirmed),
        Column("服务人", Kind.NAME, lambda r: r.organiser or getattr(r.created_by, "name", "")),
    ],
    rows=_services,
    signatures=("填表人", "审核人"),
)

LEDGERS = (CARD, SERVICES)
