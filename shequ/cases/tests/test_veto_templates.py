"""Every veto template's trigger, the data check behind them, liability and severity filtering, and
incident dating (an incident belongs to the year it happened in, not the year it was registered)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from shequ.cases import checks
from shequ.cases.models import CaseType
from shequ.plans import compliance
from shequ.plans.catalogue import TEMPLATES
from shequ.plans.compliance import State
from shequ.plans.models import PlanTemplate, Target, TemplateTarget
from shequ.plans.tests.helpers import plan, record, target

VETOES = [(tpl["code"], t) for tpl in TEMPLATES for t in tpl["targets"] if t["kind"] == "veto"]
# The facts a case needs to pass each template's filter (the template's filter names the record fields).
PASSING = {"level": "重大", "liable": "是"}


def _at(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10, 0))


def _register(p, code, detail, registered_on):
    from shequ.cases import services

    ct = CaseType.objects.get(code=code)
    return services.case_register(
        actor=p.worker_a, case_type=ct, org=p.community_a, title=f"{ct.name}一起", description="经过",
        category=ct.categories[0], detail=detail, registered_on=registered_on,
    )  # fmt: skip


def _veto(p, spec: dict, year: int = 2026) -> Target:
    return target(
        plan(p.community_a, year=year, area_code="safety"), kind="veto", code=spec["code"],
        activity_codes=spec.get("activity_codes", []), extra_filter=spec.get("extra_filter", {}),
        case_type_codes=spec.get("case_type_codes", []),
    )  # fmt: skip


def _state(t: Target, today: date = date(2026, 11, 30)):
    t = Target.objects.select_related("plan", "plan__org").get(pk=t.pk)
    return compliance.evaluate([t], today=today)[t.pk]


def test_every_case_type_a_veto_template_names_exists(db):
    assert checks.missing_veto_types() == []
    named = {c for _, t in VETOES for c in t.get("case_type_codes", ())}
    assert named <= set(CaseType.objects.values_list("code", flat=True))


def test_the_data_check_fails_loudly_when_a_template_names_a_missing_type(db):
    tpl = PlanTemplate.objects.first()
    TemplateTarget.objects.create(
        template=tpl, code="veto-ghost", title="不存在的否决", kind="veto", case_type_codes=["ghost_type"]
    )
    with pytest.raises(ImproperlyConfigured, match="ghost_type"):
        checks.check_veto_types(plan=[])


@pytest.mark.parametrize(
    ("template", "spec", "code"),
    [(tpl, t, c) for tpl, t in VETOES for c in t.get("case_type_codes", ())],
    ids=[f"{t['code']}-{c}" for _, t in VETOES for c in t.get("case_type_codes", ())],
)
def test_each_case_type_a_veto_names_breaks_it(personas, template, spec, code):
    t = _veto(personas, spec)
    assert _state(t).state == State.PROGRESS
    _register(personas, code, {"occurred_at": _at(2026, 6, 3), **PASSING}, None)
    r = _state(t)
    assert r.state == State.FAIL and "06-03" in r.total.note
    assert r.months[5] == State.FAIL and r.months[4] == State.OK


@pytest.mark.parametrize(("template", "spec"), [v for v in VETOES if v[1].get("activity_codes")])
def test_each_veto_with_records_is_broken_by_a_matching_record(personas, template, spec):
    t = _veto(personas, spec)
    extra = {k: v[0] for k, v in (spec.get("extra_filter") or {}).items()}
    record(personas.community_a, spec["activity_codes"][0], date(2026, 4, 9), title="事件", extra=extra)
    assert _state(t).state == State.FAIL


def _school_accident_veto(p):
    spec = next(t for _, t in VETOES if t["code"] == "school-veto-accident")
    return _veto(p, spec)


def test_a_no_fault_sprain_in_pe_does_not_break_the_no_liability_accident_veto(personas):
    t = _school_accident_veto(personas)
    _register(personas, "accident", {"occurred_at": _at(2026, 4, 16), "liable": "否"}, None)
    assert _state(t).state == State.PROGRESS
    _register(personas, "accident", {"occurred_at": _at(2026, 5, 8), "liable": "待认定"}, None)
    r = _state(t)
    assert r.state == State.WARN and "待认定责任" in r.total.note and r.months[4] == State.WARN
    _register(personas, "accident", {"occurred_at": _at(2026, 9, 2), "liable": "是"}, None)
    assert _state(t).state == State.FAIL


def test_only_a_major_incident_breaks_the_major_incident_veto(personas):
    spec = next(t for _, t in VETOES if t["code"] == "safety-veto-major")
    t = _veto(personas, spec)
    _register(personas, "major_incident", {"occurred_at": _at(2026, 3, 1), "level": "一般"}, None)
    assert _state(t).state == State.PROGRESS
    _register(personas, "major_incident", {"occurred_at": _at(2026, 7, 1), "level": "特别重大"}, None)
    assert _state(t).state == State.FAIL


def test_an_incident_is_dated_by_when_it_happened_not_when_it_was_registered(personas):
    spec = next(t for _, t in VETOES if t["code"] == "safety-no-cult")
    this_year, last_year = _veto(personas, spec, 2026), _veto(personas, spec, 2025)
    # happened on 30 December 2025, registered on 3 January 2026
    _register(personas, "cult_incident", {"occurred_at": _at(2025, 12, 30)}, date(2026, 1, 3))
    assert _state(this_year).state == State.PROGRESS
    r = _state(last_year, date(2026, 1, 5))
    assert r.state == State.FAIL and "12-30" in r.total.note and r.months[11] == State.FAIL
