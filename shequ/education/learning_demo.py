"""Demo step: a year of the learning-organisation register, teaching resources and QR sign-in.

The demo communities and villages each keep a register of families, buildings (楼组) and units, listed the year
before; every one was evaluated last year and this year against the criteria of its kind, with a photo or the year's
学习型家庭评比 record as evidence, and more reach 达标 this year than last (the plan's 较上年提高 target is met),
except in 柳树村, the demo's laggard, whose share fell. The courses get a handout (a Word file) each; the demo
resident 褚居民 joins 书法入门班 at the desk and signs in to its sessions held so far by scanning the door code. The
education funds are the funds records of the records' demo. Idempotent: a register already there, a course with
resources, a session signed are left alone.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from shequ.core.registry import demo_clock
from shequ.education import checkin, learning, resources
from shequ.education import services as education_services
from shequ.education.learning_models import CourseResource, LearningKind, LearningOrg
from shequ.education.models import Course, Enrolment
from shequ.records.models import Record
from shequ.residents.models import Person

FAMILIES = ["张建国家庭", "李秀英家庭", "王志强家庭", "刘芳家庭", "陈明家庭", "杨丽华家庭", "赵伟家庭", "黄淑珍家庭",
            "周磊家庭", "吴桂兰家庭", "徐海涛家庭", "孙玉梅家庭"]  # fmt: skip
BUILDINGS = ["1栋1单元楼组", "2栋2单元楼组", "3栋1单元楼组", "5栋3单元楼组", "7栋1单元楼组", "8栋2单元楼组"]
UNITS = ["社区卫生服务站", "社区幼儿园", "物业服务中心", "社区老年活动中心"]
# community key -> (share recognised last year, this year), roughly
SHARES = {"communityA": (0.40, 0.55), "communityB": (0.30, 0.40), "village1": (0.25, 0.35), "village2": (0.25, 0.20)}
CALLIGRAPHY = "书法入门班"
TZ = ZoneInfo("Asia/Shanghai")


def step(ctx, options) -> None:
    actor = ctx.users.get("admin")
    if actor is None:
        return
    made = sum(_register(ctx, actor, key, last, now) for key, (last, now) in SHARES.items())
    files = _resources(ctx, actor)
    signed = _checkins(ctx, actor)
    if not options.get("quiet"):
        print(f"学习型组织：新列入名册 {made} 个；教学资源 {files} 个；扫码签到 {signed} 次。")


def _photo(seed: int) -> SimpleUploadedFile:
    """A generated picture of a certificate on a wall (no real person)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (480, 320), (240, 236, 228))
    draw = ImageDraw.Draw(img)
    red = (rng.randint(170, 210), 30, 36)
    draw.rectangle((60, 40, 420, 280), fill=(252, 248, 236), outline=red, width=10)
    draw.ellipse((300, 190, 380, 270), outline=red, width=6)
    for i in range(4):
        draw.line((100, 100 + i * 30, 380, 100 + i * 30), fill=(120, 110, 100), width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return SimpleUploadedFile(f"评估照片{seed % 1000}.png", buf.getvalue(), content_type="image/png")


def _scores(kind: str, rng: random.Random, passing: bool) -> dict[str, int]:
    """Scores whose total lands in 达标/优秀 (70–98) or below it (50–68)."""
    criteria = learning.CRITERIA[kind]
    aim = rng.randint(72, 96) if passing else rng.randint(52, 68)
    out = {c.code: round(c.points * aim / 100) for c in criteria}
    return out


def _register(ctx, actor, key: str, last_share: float, now_share: float) -> int:
    org = ctx.orgs.get(key)
    if org is None or LearningOrg.objects.filter(org=org).exists():
        return 0
    year, today = ctx.year, timezone.localdate()
    rng = random.Random(f"learning-{key}-{year}")
    names = [(LearningKind.FAMILY, n) for n in FAMILIES] + [(LearningKind.BUILDING, n) for n in BUILDINGS]
    names += [
        (LearningKind.UNIT, f"{org.name}{n}" if "社区" not in n else n.replace("社区", org.name[:2])) for n in UNITS
    ]
    candidates = [
        learning.candidate_add(
            actor=actor,
            org=org,
            kind=kind,
            name=name,
            listed_on=date(year - 1, 3, 1),
            contact=name.removesuffix("家庭") if kind == LearningKind.FAMILY else "",
            address=f"{org.name}{rng.randint(1, 9)}栋",
        )
        for kind, name in names
    ]
    record = (
        Record.objects.filter(org=org, year=year, activity_type__area__code="education",
                              activity_type__code="evaluation").order_by("date").first()
    )  # fmt: skip
    order = list(candidates)
    rng.shuffle(order)
    n_last, n_now = round(len(order) * last_share), round(len(order) * now_share)
    for when, n_pass, on in ((year - 1, n_last, date(year - 1, 11, 20)), (year, n_now, min(today, date(year, 11, 20)))):
        for i, c in enumerate(order):
            linked = record if when == year and record is not None and c.kind == LearningKind.FAMILY else None
            learning.evaluate(
                actor=actor, candidate=c, evaluated_on=on, scores=_scores(c.kind, rng, i < n_pass),
                files=[] if linked else [_photo(c.pk * 10 + when)], record=linked,
                note="学习氛围浓厚，材料齐全。" if i < n_pass else "学习活动偏少，需加强。",
            )  # fmt: skip
    return len(candidates)


def _handout(course: Course) -> SimpleUploadedFile:
    from docx import Document

    doc = Document()
    doc.add_heading(f"{course.title} 讲义", level=1)
    doc.add_paragraph(f"办学单位：{course.org.name}    授课教师：{course.teacher.name}")
    for s in course.sessions.order_by("number")[:6]:
        doc.add_paragraph(f"第{s.number}讲（{s.date:%m月%d日}）：{s.topic or '课堂讲授与练习'}", style="List Number")
    doc.add_paragraph("课后请按讲义内容复习，有问题可在下次课上提出。")
    buf = io.BytesIO()
    doc.save(buf)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return SimpleUploadedFile(f"{course.title}讲义.docx", buf.getvalue(), content_type=mime)


def _resources(ctx, actor) -> int:
    made = 0
    courses = Course.objects.filter(year=ctx.year).exclude(pk__in=CourseResource.objects.values("course_id"))
    for course in courses.select_related("org", "teacher"):
        resources.resource_add(actor=actor, course=course, kind="material", title="课程讲义", file=_handout(course))
        made += 1
    return made


def _checkins(ctx, actor) -> int:
    """褚居民 (the demo resident) joins 书法入门班 and signs in by the door code at each session held so far."""
    user = ctx.users.get("resident")
    course = Course.objects.filter(title=CALLIGRAPHY, year=ctx.year).select_related("org", "teacher").first()
    if user is None or course is None:
        return 0
    person = Person.objects.filter(name=user.name, org=ctx.orgs.get("communityA")).first()
    if person is None:
        return 0
    if not Enrolment.objects.filter(course=course, person=person).exists():
        education_services.enrol(actor=actor, course=course, persons=[person])
    signed = 0
    today = timezone.localdate()
    for session in course.sessions.filter(date__lte=today).order_by("number"):
        if session.record_id and session.record.persons.filter(pk=person.pk).exists():
            continue
        at = datetime.combine(session.date, time(session.start.hour, 5), tzinfo=TZ)
        with demo_clock(at):
            token = checkin.token_for(actor=actor, session=session)
            checkin.check_in(actor=user, token=token)
        signed += 1
    return signed
