"""The demo's early reports of children with (suspected) disabilities (残疾儿童早期报告)."""

from __future__ import annotations

from datetime import timedelta

from shequ.cases import services


def early_children(self) -> None:
    """残疾儿童早期报告: a child found by screening in spring, referred and in rehabilitation; another reported
    three weeks ago, referred, and the institution has not received them (late: 督办)."""
    from shequ.residents.models import Person

    org = self.ctx.orgs["communityA"]
    worker, leader = self.u["a_worker"], self.u["a_leader"]
    young = Person.objects.filter(org__path__startswith=org.path, birth_date__isnull=False, is_deceased=False)
    plans = [
        (self.when(4, 8, 10), "疑似听力障碍", "社区卫生服务站新生儿听力复筛未通过。", "健康筛查",
         ["refer", "receive", "complete"], "区妇幼保健院听力筛查中心"),
        (min(self.now, self.when(12, 20) or self.now) - timedelta(days=21),
         "疑似孤独症", "家长反映孩子2岁半不说话、叫名字没有反应。", "家长报告",
         ["refer"], "区残疾人康复中心（孤独症儿童康复部）"),
    ]  # fmt: skip
    for i, (at, title, desc, source, steps, institution) in enumerate(plans):
        k = self.key(f"early_child:{i}")
        if k is None or at is None or at.year != self.year:
            continue
        found = at.date()
        kid = young.filter(birth_date__gt=found - timedelta(days=6 * 365), birth_date__lte=found)
        kid = kid.order_by("birth_date", "pk")[i : i + 1].first()
        if kid is None:
            continue
        case = self.do(at, services.case_register, actor=worker, case_type=self.types["early_child"], org=org,
                       title=title, description=desc, category=source, registered_on=found,
                       detail={"person": kid}, import_key=k)  # fmt: skip
        self.made += 1
        t = at + timedelta(hours=20)
        case = self.do(t, services.case_move, actor=leader, case=case, action="accept", owner=worker)
        for action in steps:
            t += timedelta(days=self.rng.randint(3, 6))
            data = {"institution": institution} if action == "refer" else {}
            if action == "complete":
                data = {"feedback": "已佩戴助听器，开始听觉言语康复训练。"}
            case = self.do(t, services.case_move, actor=worker, case=case, action=action, **data)
