"""Classification of the ledger export URLs for the authorization matrix."""

from datetime import date


def _dispute_ledger(p):
    from shequ.cases.tests.helpers import make_case

    case = make_case(p.worker_a, p.community_a, title="邻里漏水")
    return {"code": "disputes", "org": p.community_a.pk, "year": case.year, "fmt": "xlsx"}


def _roster(p):
    from shequ.residents.models import Person

    Person.objects.create(org=p.community_a, name="张三", birth_date=date(1950, 1, 2))
    return {"code": "residents", "org": p.community_a.pk, "fmt": "xlsx"}


URL_OBJECTS = {
    "ledgers:export": _dispute_ledger,
    "ledgers:export_undated": _roster,
}
