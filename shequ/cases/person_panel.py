"""The cases a registry person is in, for the panel on their page (一人一档): as the resident who raised them, as a
party, or as the person referred (转诊转介, 残疾儿童早期报告) — only the cases the reader sees (a referral only to the
disability staff), in one query whatever the number of persons or cases."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from shequ.cases.choices import OPEN_STATES, CaseState, PartyRole
from shequ.cases.models import Case

SHOWN = 20  # the newest cases per person
PARTY_ROLES = dict(PartyRole.choices)


def person_cases(actor, person_ids: list[int]) -> dict[int, list[dict]]:
    if not person_ids:
        return {}
    wanted = set(person_ids)
    q = Q(reporter_person_id__in=person_ids) | Q(parties__person_id__in=person_ids)
    q |= Q(referral__person_id__in=person_ids)
    rows = (
        Case.objects.visible_to(actor)
        .filter(q)
        .values("pk", "registered_on", "registered_at", "title", "state", "case_type__name", "org__name",
                "reporter_person_id", "parties__person_id", "parties__role", "referral__person_id")
        .order_by("-registered_at", "-pk")
    )  # fmt: skip
    cases: dict[int, dict] = {}
    for r in rows:
        case = cases.setdefault(r["pk"], {**r, "roles": {}})
        if r["reporter_person_id"] in wanted:
            case["roles"].setdefault(r["reporter_person_id"], "反映人")
        if r["parties__person_id"] in wanted:
            case["roles"].setdefault(r["parties__person_id"], PARTY_ROLES.get(r["parties__role"], "当事人"))
        if r["referral__person_id"] in wanted:
            case["roles"][r["referral__person_id"]] = "转介对象"
    out: dict[int, list[dict]] = defaultdict(list)
    for c in cases.values():
        state = CaseState(c["state"]).label
        for pid, role in c["roles"].items():
            if len(out[pid]) < SHOWN:
                out[pid].append({
                    "text": f"{c['registered_on'].year}-{c['pk']:06d} {c['case_type__name']}：{c['title']}",
                    "url": reverse("cases:detail", args=[c["pk"]]),
                    "note": f"{role}，{c['org__name']}，{c['registered_on']:%Y-%m-%d}登记，{state}",
                    "current": c["state"] in OPEN_STATES,
                })  # fmt: skip
    return dict(out)
