"""Demo step: the year's letters. The district signs its 平安建设目标责任书 with both streets, each street with its
communities (柳树村 has not signed by the deadline); the central primary school signs its 学校安全工作责任书 level by
level with three 年级组长, their six 班主任 and twelve 任课教师, two of whom have not signed yet. Signatures are
drawn strokes, as a phone would send them. Idempotent: a kind already issued for the year is left alone."""

from __future__ import annotations

import base64
import io
import random
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from shequ.letters import services
from shequ.letters.models import Letter, LetterKind

GRADES = [("三年级", "王丽"), ("四年级", "陈建国"), ("五年级", "刘芳")]
HEADS = ["赵敏", "孙伟", "周红", "吴刚", "郑霞", "冯涛"]
TEACHERS = ["何静", "许强", "沈燕", "韩磊", "杨帆", "朱琳", "秦勇", "尤佳", "施洋", "张萍", "孔亮", "曹雪"]
UNSIGNED = {"柳树村", "曹雪", "孔亮"}


def _drawn(seed: str) -> str:
    """A PNG data URL of a few pen strokes (a stand-in for a finger's signature)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (600, 220), "white")
    pen = ImageDraw.Draw(img)
    x = 60
    for _stroke in range(3 + rng.randint(0, 2)):
        points = [(x + i * 18 + rng.randint(-6, 6), 110 + rng.randint(-50, 50)) for i in range(6)]
        pen.line(points, fill="black", width=4, joint="curve")
        x += 110
    out = io.BytesIO()
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _sign(actor, letter: Letter, on: date, today: date) -> None:
    if letter.holder_name in UNSIGNED or on > today:
        return
    signer = letter.holder_name if not letter.holder_org_id else f"{letter.holder_name}负责人"
    services.sign(actor=actor, letter=letter, signer_name=signer, signed_on=on, drawn=_drawn(f"{letter.pk}"))


def _safety(ctx, actor, kind: LetterKind, today: date) -> None:
    year = ctx.year
    district = ctx.orgs.get("district")
    streets = [ctx.orgs[k] for k in ("street1", "street2") if k in ctx.orgs]
    if district is None or not streets:
        return
    issued = date(year, 1, 10)
    if issued > today:
        return
    top = services.issue(actor=actor, kind=kind, year=year, issuer=district, orgs=streets, issued_on=issued,
                         due_on=date(year, 1, 31))  # fmt: skip
    for n, letter in enumerate(top):
        _sign(actor, letter, date(year, 1, 20 + n), today)
        communities = [o for o in services.holder_orgs(letter.holder_org) if o.kind == "community"]
        if not communities:
            continue
        below = services.issue(actor=actor, kind=kind, year=year, issuer=letter.holder_org, parent=letter,
                               orgs=communities, issued_on=date(year, 2, 6), due_on=date(year, 2, 28))  # fmt: skip
        for m, child in enumerate(below):
            _sign(actor, child, date(year, 2, 7) + timedelta(days=(5 + m * 3) % 21), today)


def _school(ctx, actor, kind: LetterKind, today: date) -> None:
    year = ctx.year
    school = ctx.orgs.get("school")
    issued = date(year, 2, 20)
    if school is None or issued > today:
        return
    due = date(year, 3, 1)
    grades = services.issue(actor=actor, kind=kind, year=year, issuer=school, issued_on=issued, due_on=due,
                            people=[(head, grade) for grade, head in GRADES])  # fmt: skip
    heads, teachers = iter(HEADS), iter(TEACHERS)
    for g, grade_letter in enumerate(grades):
        _sign(actor, grade_letter, date(year, 2, 22), today)
        classes = [(next(heads), f"{grade_letter.labels}{c}班") for c in (1, 2)]
        class_letters = services.issue(actor=actor, kind=kind, year=year, issuer=school, parent=grade_letter,
                                       people=classes, issued_on=date(year, 2, 23), due_on=due)  # fmt: skip
        for c, class_letter in enumerate(class_letters):
            _sign(actor, class_letter, date(year, 2, 24 + g), today)
            subjects = [
                (next(teachers), f"{class_letter.labels}（语文）"),
                (next(teachers), f"{class_letter.labels}（数学）"),
            ]
            for t in services.issue(actor=actor, kind=kind, year=year, issuer=school, parent=class_letter,
                                    people=subjects, issued_on=date(year, 2, 25), due_on=due):  # fmt: skip
                _sign(actor, t, date(year, 2, 26 + c), today)


def step(ctx, options) -> None:
    today = timezone.localdate()
    actor = ctx.users["admin"]
    kinds = {k.code: k for k in LetterKind.objects.select_related("area")}
    if "safety-goals" in kinds and not Letter.objects.filter(kind=kinds["safety-goals"], year=ctx.year).exists():
        _safety(ctx, actor, kinds["safety-goals"], today)
    if "school-safety" in kinds and not Letter.objects.filter(kind=kinds["school-safety"], year=ctx.year).exists():
        _school(ctx, actor, kinds["school-safety"], today)
