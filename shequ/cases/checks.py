"""A data check that fails loudly: every case type a veto template names must exist.

A veto target that names a case type nobody loaded can never fail, so its 一票否决 would be silently empty.
The check runs after every ``migrate`` (``post_migrate``: the migration that loads the types has run by
then) and in the tests; it reads the shipped templates and the templates stored in the database."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def missing_veto_types() -> list[str]:
    """ "template/target: code" for each case type a veto template names and no CaseType row has."""
    from shequ.cases.models import CaseType
    from shequ.plans.catalogue import TEMPLATES
    from shequ.plans.models import TargetKind, TemplateTarget

    known = set(CaseType.objects.values_list("code", flat=True))
    named = [
        (tpl["code"], t["code"], code)
        for tpl in TEMPLATES
        for t in tpl["targets"]
        for code in t.get("case_type_codes", ())
    ]
    stored = TemplateTarget.objects.filter(kind=TargetKind.VETO).values_list(
        "template__code", "code", "case_type_codes"
    )
    named += [(tpl, target, code) for tpl, target, codes in stored for code in codes or ()]
    return sorted({f"{tpl}/{target}: {code}" for tpl, target, code in named if code not in known})


def check_veto_types(**kwargs) -> None:
    """``post_migrate`` receiver: refuse to go on when a veto template names a missing case type.

    ``flush`` (tests between transactions) sends the signal too, without a migration ``plan``: the tables are
    empty then, and nothing was migrated, so there is nothing to check."""
    if "plan" not in kwargs or "cases_casetype" not in connection.introspection.table_names():
        return  # migrated only part of the way
    missing = missing_veto_types()
    if missing:
        raise ImproperlyConfigured("一票否决模板引用了不存在的事项类型:" + ";".join(missing))
