"""The cases of the demo district: a year of believable cases of all six types, and bulk growth.

Every demo case goes through the services with the time set (time-machine) to when it happened, so histories,
audit rows, deadlines and 督办 look as they would after a real year. Idempotent: each case has an
``import_key``; a second run adds nothing. ``--cases N`` adds plain bulk rows (no histories) until
the year holds N of them, for district-scale dashboards.
"""

from __future__ import annotations

import io
import random
import time
import zlib
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from shequ.cases import demo_data as D
from shequ.cases import services
from shequ.cases.catalogue import load_case_types
from shequ.cases.choices import CaseState, Supervision
from shequ.cases.demo_early import early_children
from shequ.cases.models import AccidentDetail, Case, CaseType, DisputeDetail, HazardDetail, ReferralDetail
from shequ.core.registry import demo_clock
from shequ.orgs.models import Area, OrgKind


def add_arguments(parser):
    parser.add_argument(
        "--cases", type=int, default=0, help="bulk cases of the year across all communities (district-scale check)"
    )


def step(ctx, options) -> None:
    load_case_types(CaseType, Area)
    started = time.monotonic()
    made = Demo(ctx).run()
    bulk = grow(ctx, int(options.get("cases") or 0))
    services.supervision_sweep()
    if not options.get("quiet"):
        print(f"事项:新增演示事项 {made} 件、批量事项 {bulk} 件,用时 {time.monotonic() - started:.1f} 秒。")


def _photo(seed: int, name: str = "现场照片.jpg") -> SimpleUploadedFile:
    rng = random.Random(seed)
    img = Image.new("RGB", (640, 480), (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200)))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


class Demo:
    def __init__(self, ctx):
        self.ctx = ctx
        self.year = ctx.year
        self.now = timezone.now()
        self.rng = random.Random(ctx.year)
        self.types = {t.code: t for t in CaseType.objects.all()}
        self.areas = {a.code: a for a in Area.objects.all()}
        self.made = 0
        self.u = ctx.users
        self.existing = set(
            Case.objects.filter(import_key__startswith=f"demo:{self.year}:").values_list("import_key", flat=True)
        )

    # time helpers ---------------------------------------------------------------------------------

    def when(self, month: int, day: int, hour: int = 9) -> datetime | None:
        """A moment of the demo year, or None when it has not happened yet."""
        try:
            dt = timezone.make_aware(datetime(self.year, month, min(day, 28), hour, self.rng.randint(0, 59)))
        except ValueError:
            return None
        return dt if dt <= self.now else None

    def do(self, at: datetime | None, fn, **kw):
        """Run ``fn`` with the time at ``at``; returns its result, or None when ``at`` is still to come."""
        if at is None or at > self.now or ("case" in kw and kw["case"] is None):
            return None
        with demo_clock(at):
            return fn(**kw)

    def key(self, name: str) -> str | None:
        """The import key of one demo case (None when it exists); seeds the random draws of that case alone,
        so a second run makes the same choices and adds nothing."""
        k = f"demo:{self.year}:{name}"
        self.rng.seed(k)
        return None if k in self.existing else k

    # the year ------------------------------------------------------------------------------------

    def run(self) -> int:
        with transaction.atomic():
            self.disputes()
            self.hazards()
            self.opinions()
            self.monitor_reports()
            self.referrals()
            early_children(self)
            self.accident()
        return self.made

    def _staff(self, org_key: str):
        """(registrar, acceptor, owner, leader) for an org of the demo."""
        u = self.u
        return {
            "communityA": (u["a_safety"], u["a_leader"], u["a_safety"], u["a_leader"]),
            "communityB": (u["b_worker"], u["b_worker"], u["b_worker"], None),
            "school": (u["school_officer"], u["school_officer"], u["school_officer"], None),
        }.get(org_key, (u["admin"], u["admin"], u["admin"], None))

    def disputes(self) -> None:
        cats = [c for c, w in D.DISPUTE_WEIGHTS.items() for _ in range(w)]
        keys = [k for k in ("communityA", "communityB", "village1", "village2") if k in self.ctx.orgs]
        for org_key in keys:
            org = self.ctx.orgs[org_key]
            registrar, acceptor, owner, leader = self._staff(org_key)
            persons = self._persons(org)
            for month in range(1, 13):
                self.rng.seed(f"{self.year}:{org_key}:{month}")
                count = self.rng.choice([0, 1, 1, 2, 2, 3]) if org_key != "village2" else self.rng.choice([0, 0, 1])
                for n in range(count):
                    k = self.key(f"dispute:{org_key}:{month}:{n}")
                    day = self.rng.randint(1, 25)
                    at = self.when(month, day, self.rng.randint(8, 16))
                    if k is None or at is None:
                        continue
                    cat = self.rng.choice([c for c in cats if c != "山林土地" or "村" in org.name])
                    self._dispute(org, k, at, cat, registrar, acceptor, owner, leader, persons, month)

    def _persons(self, org) -> list:
        from shequ.residents.models import Person

        return list(Person.objects.filter(org=org).order_by("pk")[:40])

    def _dispute(self, org, k, at, cat, registrar, acceptor, owner, leader, persons, month) -> None:
        title, description, agreement = self.rng.choice(D.DISPUTES[cat])
        risk = self.rng.choices(["low", "medium", "high"], weights=[80, 15, 5])[0]
        major = risk == "high"
        parties = []
        for role in ("applicant", "respondent"):
            if persons and self.rng.random() < 0.5:
                parties.append({"role": role, "person": self.rng.choice(persons)})
            else:
                parties.append({"role": role, "name": self.rng.choice(D.NAMES)})
        grid = self.rng.choice(self.ctx.grids_of(org) or [org])
        case = self.do(
            at,
            services.case_register,
            actor=registrar,
            case_type=self.types["dispute"],
            org=grid if self.rng.random() < 0.3 else org,
            title=title,
            description=description,
            category=cat,
            registered_on=at.date(),
            place=f"{org.name}{grid.name if grid != org else ''}",
            detail={
                "source": self.rng.choice(["screening", "screening", "visit", "call", "grid", "transfer"]),
                "people_count": self.rng.randint(2, 6),
                "amount": self.rng.choice([None, 800, 1500, 3000, 9600]),
                "risk_level": risk,
                "is_major": major,
            },
            parties=parties,
            import_key=k,
        )
        self.made += 1
        t = at + timedelta(hours=self.rng.randint(1, 20))
        if major and org.parent_id and self.rng.random() < 0.5:
            case = self.do(at + timedelta(hours=1), services.case_move, actor=registrar, case=case, action="escalate",
                           note="涉及人数多、情绪激烈,报请街道综治中心协调。")  # fmt: skip
            t = max(t, at + timedelta(hours=2))
            street = org.parent == self.ctx.orgs.get("street1")
            acceptor = owner = self.u["street_leader"] if street else self.u["admin"]
            leader = acceptor if street else None
        case = self.do(t, services.case_move, actor=acceptor, case=case, action="accept", owner=owner,
                       leader=leader if major else None)  # fmt: skip
        if case is None:
            return
        for i in range(self.rng.randint(1, 3)):
            t += timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 5))
            step = D.MEDIATION_STEPS[i]
            if self.do(t, services.entry_add, actor=owner, case=case, kind="mediation", text=step) is None:
                return
        t += timedelta(days=self.rng.randint(0, 3))
        ok = self.rng.random() < 0.9
        case = self.do(
            t, services.case_move, actor=owner, case=case, action="resolve",
            result="经调解双方达成一致。" if ok else "双方分歧较大,调解未成功。",
            outcome="success" if ok else "failed",
            agreement_no=f"({self.year}){org.name[:2]}人调字第{case.pk}号" if ok else "",
            agreement_text=agreement if ok else "", failed_to="" if ok else "已告知当事人可向人民法院起诉",
        )  # fmt: skip
        if case is None:
            return
        t += timedelta(days=self.rng.randint(7, 15))
        case = self.do(t, services.case_move, actor=owner, case=case, action="evaluate",
                       rating=self.rng.choice([4, 5, 5]), note="电话回访,双方均按协议履行,无反复。")  # fmt: skip
        if case is not None and t + timedelta(days=60) <= self.now:
            self.do(t + timedelta(days=3), services.case_move, actor=acceptor, case=case, action="archive")

    def hazards(self) -> None:
        for month, name, org_key, kind, place_type, level, place, title, desc, temp, fix, rectifier in D.HAZARDS:
            org = self.ctx.orgs.get(org_key)
            k = self.key(f"hazard:{name}")
            at = self.when(month, 3 + month, 10)
            if org is None or k is None or at is None:
                continue
            registrar, acceptor, owner, leader = self._staff(org_key)
            case = self.do(
                at, services.case_register, actor=registrar, case_type=self.types["hazard"], org=org,
                area=self.ctx.areas["school" if org_key == "school" else "safety"], title=title, description=desc,
                category=kind, place=place, registered_on=at.date(), files=[_photo(zlib.crc32(name.encode()))],
                detail={"place_type": place_type, "level": level, "found_by": registrar.display_name,
                        "temporary_measures": temp, "rectification_measures": fix, "rectifier": rectifier},
                import_key=k,
            )  # fmt: skip
            self.made += 1
            t = at + timedelta(hours=2)
            days = 10 if level == "ordinary" else 20
            case = self.do(t, services.case_move, actor=acceptor, case=case, action="accept", owner=owner,
                           deadline=(t + timedelta(days=days)).date())  # fmt: skip
            t += timedelta(days=self.rng.randint(2, 6))
            if self.do(t, services.entry_add, actor=owner, case=case, kind="rectify", text=f"整改进行中:{fix}。",
                       files=[_photo(zlib.crc32(name.encode()) + 1, "整改照片.jpg")]) is None:  # fmt: skip
                continue
            if name == "s-rail":  # the one that is late: left open past its deadline (督办)
                continue
            t += timedelta(days=self.rng.randint(2, days - 2))
            case = self.do(t, services.case_move, actor=owner, case=case, action="resolve",
                           result=f"已完成整改:{fix}。", rectified_on=t.date())  # fmt: skip
            checker = leader or acceptor
            self.do(t + timedelta(days=2), services.case_move, actor=checker, case=case, action="evaluate",
                    checker=checker.display_name, check_conclusion="复查合格,同意销号。")  # fmt: skip

    def _resident(self, key: str):
        from shequ.accounts.demo import demo_resident

        if key == "resident":
            return self.u["resident"]
        _, phone, name = next(r for r in D.EXTRA_RESIDENTS if r[0] == key)
        return demo_resident(phone=phone, name=name, community=self.ctx.orgs["communityA"])

    def opinions(self) -> None:
        org = self.ctx.orgs["communityA"]
        worker, leader = self.u["a_worker"], self.u["a_leader"]
        for month, name, who, cat, title, desc, reply, rating in D.OPINIONS:
            k = self.key(f"opinion:{name}")
            at = self.when(month, 6 + month, 19)
            if k is None or at is None:
                continue
            reporter = self._resident(who)
            photos = [_photo(month, "照片.jpg")] if month % 3 == 0 else []
            case = self.do(at, services.case_report, actor=reporter, case_type=self.types["opinion"], org=org,
                           title=title, description=desc, category=cat, photos=photos, import_key=k)  # fmt: skip
            self.made += 1
            t = at + timedelta(hours=14)
            case = self.do(t, services.case_move, actor=leader, case=case, action="accept", owner=worker)
            t += timedelta(days=self.rng.randint(2, 7))
            case = self.do(t, services.case_move, actor=worker, case=case, action="resolve", result=reply,
                           public_reply=reply)  # fmt: skip
            if case is None:
                continue
            t += timedelta(days=2)
            if rating == 3:  # not satisfied at first: reopened, then done better
                case = self.do(t, services.case_move, actor=reporter, case=case, action="reopen",
                               note="约定后仍有超时,希望加强监督。")  # fmt: skip
                t += timedelta(days=5)
                reply = reply + "社区已安排网格员每晚21:00巡查。"
                case = self.do(t, services.case_move, actor=worker, case=case, action="resolve", result=reply,
                               public_reply=reply)  # fmt: skip
                t += timedelta(days=2)
            if case is None:
                continue
            self.do(t, services.case_move, actor=reporter, case=case, action="evaluate", rating=max(rating, 4),
                    comment="处理及时,谢谢社区。")  # fmt: skip
            if name == "dogs":
                self.do(t, services.board_hide, actor=worker, case=Case.objects.get(pk=case.pk),
                        reason="内容涉及具体住户门牌号,不宜公开。")  # fmt: skip

    def monitor_reports(self) -> None:
        """A supervisor's reports: a 治安隐患 goes straight to the safety worker as a hazard; a broken fence
        reported as 公共设施 is transferred (转办) to 平安建设 by the self-government worker."""
        org = self.ctx.orgs["communityA"]
        monitor, worker, safety = self.u["monitor"], self.u["a_worker"], self.u["a_safety"]
        for month, name, cat, title, desc, place, reply, transfer in D.MONITOR_REPORTS:
            k = self.key(f"monitor:{name}")
            at = self.when(month, 12, 8)
            if k is None or at is None:
                continue
            case = self.do(at, services.case_report, actor=monitor, case_type=self.types["monitor"], org=org,
                           title=title, description=desc, category=cat, place=place,
                           photos=[_photo(month * 7, "上报照片.jpg")], import_key=k)  # fmt: skip
            self.made += 1
            t = at + timedelta(hours=2)
            if transfer:
                case = self.do(t, services.case_move, actor=worker, case=case, action="transfer", note=transfer,
                               to_type=self.types["hazard"], to_area=self.areas["safety"], category="治安")  # fmt: skip
                t += timedelta(hours=1)
            hazard = case is not None and case.case_type.code == "hazard"
            owner = safety if hazard else worker
            case = self.do(t, services.case_move, actor=owner, case=case, action="accept", owner=owner)
            t += timedelta(days=self.rng.randint(1, 4))
            case = self.do(t, services.case_move, actor=owner, case=case, action="resolve", result=reply,
                           public_reply=reply, rectification_measures=reply)  # fmt: skip
            if hazard:  # the safety worker checks the repair on site (销号), then the supervisor rates it
                self.do(t + timedelta(hours=4), services.case_move, actor=safety, case=case, action="evaluate",
                        checker=safety.display_name, check_conclusion="现场复核,整改到位。")  # fmt: skip
            else:
                self.do(t + timedelta(days=1), services.case_move, actor=monitor, case=case, action="evaluate",
                        rating=5, comment="已现场核实。")  # fmt: skip

    def referrals(self) -> None:
        from shequ.residents.models import Person

        org = self.ctx.orgs["communityA"]
        worker, leader = self.u["a_worker"], self.u["a_leader"]
        people = list(Person.objects.filter(org__path__startswith=org.path, disability__isnull=False)[:3])
        plans = [
            (3, "辅助器具", "需要适配轮椅和坐便椅", ["refer", "receive", "complete"]),
            (6, "康复医疗", "脑卒中后遗症,需要专业康复训练", ["refer", "refuse", "refer", "receive"]),
            (9, "训练指导", "孤独症儿童需要康复训练指导", ["refer"]),
        ]
        for i, (month, need, desc, steps) in enumerate(plans):
            k = self.key(f"referral:{i}")
            at = self.when(month, 10, 10)
            if k is None or at is None:
                continue
            person = people[i] if i < len(people) else None
            case = self.do(at, services.case_register, actor=worker, case_type=self.types["referral"], org=org,
                           title=f"{need}转介", description=desc, category=need, registered_on=at.date(),
                           detail={"person": person, "person_name": "" if person else D.NAMES[i]},
                           import_key=k)  # fmt: skip
            self.made += 1
            t = at + timedelta(hours=5)
            case = self.do(t, services.case_move, actor=leader, case=case, action="accept", owner=worker)
            institutions = iter(D.REFERRAL_INSTITUTIONS[i:] + D.REFERRAL_INSTITUTIONS[:i])
            for action in steps:
                t += timedelta(days=self.rng.randint(3, 8))
                data = {}
                if action == "refer":
                    data = {"institution": next(institutions)}
                elif action == "refuse":
                    data = {"note": "该机构康复床位已满,建议转其他机构。"}
                elif action == "complete":
                    data = {"feedback": "已完成适配,家属掌握使用方法。"}
                case = self.do(t, services.case_move, actor=worker, case=case, action=action, **data)
                if case is None:
                    break
            if case is not None and case.state == CaseState.COMPLETED:
                t += timedelta(days=2)
                case = self.do(t, services.case_move, actor=worker, case=case, action="resolve",
                               result="转介服务完成。")  # fmt: skip
                self.do(t + timedelta(days=7), services.case_move, actor=worker, case=case, action="evaluate",
                        rating=5, note="入户回访,辅具使用良好。")  # fmt: skip

    def accident(self) -> None:
        org = self.ctx.orgs.get("school")
        k = self.key("accident:pe")
        at = self.when(4, 16, 10)
        if org is None or k is None or at is None:
            return
        officer = self.u["school_officer"]
        case = self.do(
            at + timedelta(hours=1), services.case_register, actor=officer, case_type=self.types["accident"], org=org,
            title="体育课学生跌倒致手臂骨折", description="四年级体育课跳山羊时一名学生跌倒,左前臂骨折。",
            category="体育活动", place="学校操场", registered_on=at.date(),
            detail={"occurred_at": at, "injured_count": 1, "injuries": "左前臂骨折", "liable": "否",
                    "cause": "学生落地时手臂撑地,器材与保护符合规范,经认定为无过错意外",
                    "reported_to": "和平街道中心学校、街道教育办", "reported_at": at + timedelta(minutes=40)},
            import_key=k,
        )  # fmt: skip
        self.made += 1
        t = at + timedelta(hours=2)
        case = self.do(t, services.case_move, actor=officer, case=case, action="accept", owner=officer)
        self.do(t + timedelta(hours=1), services.entry_add, actor=officer, case=case, kind="visit",
                text="班主任陪同送医,已通知家长;学校安全领导小组召开专题会,调整体育器材摆放。")  # fmt: skip
        case = self.do(t + timedelta(days=5), services.case_move, actor=officer, case=case, action="resolve",
                       result="学生已出院回家休养,学校已整改体育器材和保护措施,保险理赔已启动。")  # fmt: skip
        self.do(t + timedelta(days=20), services.case_move, actor=officer, case=case, action="evaluate", rating=4,
                note="回访家长,学生恢复良好。")  # fmt: skip


# --- bulk growth for district-scale checks ----------------------------------------------------------

BULK_TYPES = [("dispute", 30), ("hazard", 15), ("opinion", 30), ("monitor", 15), ("referral", 9), ("accident", 1)]
BULK_STATES = [
    (CaseState.REGISTERED, 5),
    (CaseState.HANDLING, 20),
    (CaseState.RESOLVED, 10),
    (CaseState.EVALUATED, 35),
    (CaseState.ARCHIVED, 30),
]
BATCH = 5000
LEVELS = [Supervision.NORMAL, Supervision.YELLOW, Supervision.RED]


def grow(ctx, target: int) -> int:
    """Add bulk cases of the demo year until it holds ``target`` of them; returns how many were added."""
    prefix = f"bulk:{ctx.year}:"
    have = Case.objects.filter(import_key__startswith=prefix).count()
    if target <= have:
        return 0
    orgs = [o for o in ctx.orgs.values() if o.kind in (OrgKind.COMMUNITY, OrgKind.GRID) and o.is_active]
    types = {t.code: t for t in CaseType.objects.prefetch_related("areas")}
    areas = {code: list(t.areas.all()) for code, t in types.items()}
    kinds = {t.pk: t.kind for t in types.values()}
    rng = random.Random(have)
    today = timezone.localdate()
    last = today if ctx.year == today.year else date(ctx.year, 12, 31)
    span = max((last - date(ctx.year, 1, 1)).days, 1)
    codes, code_w = zip(*BULK_TYPES, strict=True)
    states, state_w = zip(*BULK_STATES, strict=True)
    added = 0
    for start in range(have, target, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, target)):
            code = rng.choices(codes, code_w)[0]
            ct = types[code]
            org = rng.choice(orgs)
            on = date(ctx.year, 1, 1) + timedelta(days=rng.randint(0, span))
            at = timezone.make_aware(datetime(on.year, on.month, on.day, rng.randint(8, 17), rng.randint(0, 59)))
            state = rng.choices(states, state_w)[0]
            accepted = at + timedelta(hours=rng.randint(1, 48)) if state != CaseState.REGISTERED else None
            done = state in (CaseState.RESOLVED, CaseState.EVALUATED, CaseState.ARCHIVED)
            resolved = accepted + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)) if done else None
            deadline = (accepted + timedelta(days=ct.handle_days)).date() if accepted else None
            escalated = state in (CaseState.REGISTERED, CaseState.HANDLING) and rng.random() < 0.04
            owner_org = org.parent if escalated and org.parent_id else org
            overdue = deadline is not None and not done and deadline < today
            rows.append(
                Case(
                    case_type=ct,
                    area=rng.choice(areas[code]),
                    org=owner_org,
                    origin_org=org,
                    escalated_from=org if owner_org != org else None,
                    escalated_at=at if owner_org != org else None,
                    state=state,
                    title=f"批量{ct.name}{i}",
                    description="区级规模测试数据",
                    category=rng.choice(ct.categories) if ct.categories else "",
                    registered_on=on,
                    year=on.year,
                    registered_at=at,
                    accepted_at=accepted,
                    deadline=deadline,
                    resolved_at=resolved,
                    rating=rng.choice([3, 4, 5, 5, 5]) if state in (CaseState.EVALUATED, CaseState.ARCHIVED) else None,
                    supervision=rng.choice(LEVELS) if overdue else "",
                    import_key=f"{prefix}{i}",
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(rows, batch_size=1000)
            details: dict[type, list] = {DisputeDetail: [], HazardDetail: [], ReferralDetail: [], AccidentDetail: []}
            for c in created:
                kind = kinds[c.case_type_id]
                done = c.state in (CaseState.RESOLVED, CaseState.EVALUATED, CaseState.ARCHIVED)
                if kind == "dispute":
                    risk = rng.choices(["low", "medium", "high"], [80, 15, 5])[0]
                    outcome = ("success" if rng.random() < 0.92 else "failed") if done else ""
                    details[DisputeDetail].append(
                        DisputeDetail(case=c, risk_level=risk, is_major=risk == "high", outcome=outcome)
                    )
                elif kind == "hazard":
                    details[HazardDetail].append(
                        HazardDetail(
                            case=c,
                            rectify_deadline=c.deadline,
                            rectified_on=c.resolved_at.date() if c.resolved_at else None,
                            signed_off_at=c.resolved_at if c.state != CaseState.RESOLVED and done else None,
                        )
                    )
                elif kind == "referral":
                    details[ReferralDetail].append(ReferralDetail(case=c, person_name=rng.choice(D.NAMES)))
                elif kind == "accident":
                    details[AccidentDetail].append(AccidentDetail(case=c, occurred_at=c.registered_at))
            for model, objs in details.items():
                model.objects.bulk_create(objs, batch_size=1000)
        added += len(rows)
    return added
