"""The closed-year rule (绝不能跨年归类): one check that every write of yearly data calls."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from shequ.orgs.models import Org
from shequ.records.models import YearClosure


def is_year_closed(org: Org, year: int) -> bool:
    """True when ``year`` is closed for ``org`` or for any org above it."""
    ids = [*org.ancestor_ids, org.pk]
    return YearClosure.objects.filter(org_id__in=ids, year=year).exists()


def ensure_year_open(org: Org, year: int) -> None:
    if is_year_closed(org, year):
        raise ValidationError(f"{org.name}的{year}年度已关账，数据只读。如需修改请联系系统管理员重新开账。")
