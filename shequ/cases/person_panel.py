"""The cases a registry person is in, for the panel on their page (一人一档): as the resident who raised them, as a
party, or as the person referred (转诊转介, 残疾儿童早期报告) — only the cases the reader sees (a referral only to the
disability staff), in four queries whatever the number of persons or cases."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from shequ.cases.models import Case, CaseParty, ReferralDetail

SHOWN = 20  # the newest cases per person


def person_cases(actor, person_ids: list[int]) -> dict[int, list[dict]]:
    if not person_ids:
        return {}
    seen = Case.objects.visible_to(actor)
    roles: dict[int, dict[int, str]] = defaultdict(dict)  # case -> person -> role
    for pk, pid in seen.filter(reporter_person_id__in=person_ids).values_list("pk", "reporter_person_id"):
        roles[pk][pid] = "反映人"
    parties = CaseParty.objects.filter(case__in=seen.values("pk"), person_id__in=person_ids)
    for case_id, pid, role in parties.values_list("case_id", "person_id", "role"):
        roles[case_id].setdefault(pid, CaseParty(role=role).get_role_display())
    referred = ReferralDetail.objects.filter(case__in=seen.values("pk"), person_id__in=person_ids)
    for case_id, pid in referred.values_list("case_id", "person_id"):
        roles[case_id][pid] = "转介对象"
    if not roles:
        return {}
    cases = Case.objects.filter(pk__in=sorted(roles)).select_related("case_type", "org").order_by("-registered_at")
    out: dict[int, list[dict]] = defaultdict(list)
    for case in cases:
        for pid, role in roles[case.pk].items():
            if len(out[pid]) < SHOWN:
                out[pid].append({
                    "text": f"{case.code} {case.case_type.name}：{case.title}",
                    "url": reverse("cases:detail", args=[case.pk]),
                    "note": f"{role}，{case.org.name}，{case.registered_on:%Y-%m-%d}登记，{case.get_state_display()}",
                    "current": case.is_open,
                })  # fmt: skip
    return dict(out)
