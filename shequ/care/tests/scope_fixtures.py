"""Classification of the care URLs for the authorization matrix (see core/tests/test_authorization_matrix).

The objects are a disabled resident of 社区A under care and their helper pair: disability data of the office,
seen by its disability staff and leaders, not by grid workers, inspectors or staff of other lines."""

from __future__ import annotations


def _person(p):
    from shequ.care.tests.helpers import disabled
    from shequ.residents.models import Person

    found = Person.objects.filter(org=p.community_a, name="帮扶对象甲").first()
    return found or disabled(p.community_a, name="帮扶对象甲")


def _pk(p):
    return {"pk": _person(p).pk}


def _visit(p):
    return {"pk": _person(p).pk, "category": "disability"}


def _pair(p):
    from datetime import date

    from shequ.care.models import HelperPair
    from shequ.care.tests.helpers import pair

    person = _person(p)
    found = HelperPair.objects.filter(person=person).first()
    return {"pk": (found or pair(p.worker_a, person, p.leader_a, started_on=date(2026, 1, 1))).pk}


def _need(p):
    from datetime import date

    from shequ.care import services_needs
    from shequ.care.models import Need

    person = _person(p)
    found = Need.objects.filter(assessment__person=person).first()
    if found is None:
        a = services_needs.assessment_create(
            actor=p.worker_a, person=person, surveyed_on=date(2026, 1, 5), method="入户调查", respondent="本人",
            needs={"rehab": ("needs", "")},
        )  # fmt: skip
        found = a.needs.get()
    return {"pk": found.pk}


def _schedule(p):
    from shequ.care.models import VisitSchedule

    return {"pk": VisitSchedule.objects.order_by("pk").first().pk}


URL_OBJECTS = {
    "care:person": _pk,
    "care:visit": _visit,
    "care:pair_new": _pk,
    "care:pair_end": _pair,
    "care:assess": _visit,
    "care:plan": _visit,
    "care:need_status": _need,
}
GLOBAL_URLS = {"care:schedule_edit": _schedule}
AREA = "disability"
URL_REACH = dict.fromkeys(URL_OBJECTS, "office")
