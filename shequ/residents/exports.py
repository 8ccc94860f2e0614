"""Export of a filtered person list as a streamed xlsx; ID numbers masked unless the actor may see
them whole and asked to (each such export is written to the audit log)."""

from __future__ import annotations

from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.ledgers.writers import Column, Ledger, file_name, xlsx_response
from shequ.residents import identity
from shequ.residents.selectors import PersonFilter, person_list

COLUMNS = [
    Column("姓名", 10),
    Column("证件类型", 12),
    Column("证件号码", 22),
    Column("性别", 6),
    Column("出生日期", 14),
    Column("联系电话", 14),
    Column("社区", 14),
    Column("网格", 12),
    Column("户号", 12),
    Column("与户主关系", 10),
    Column("地址", 30),
    Column("居住状态", 8),
    Column("民族", 8),
    Column("文化程度", 10),
    Column("职业", 14),
    Column("迁入日期", 14),
    Column("备注", 20),
]


def export_persons(actor, f: PersonFilter, *, whole: bool = False, org_name: str = ""):
    """A FileResponse with the persons the actor sees through ``f``."""
    access_paths = access.scope_paths(actor, Perm.VIEW_SENSITIVE) if whole else []
    stats = {"rows": 0, "whole": 0}
    whole_ids: list[int] = []

    def rows():
        qs = person_list(actor, f).order_by("org__path", "name_pinyin", "id")
        for p in qs.iterator(chunk_size=2000):
            stats["rows"] += 1
            number = p.id_masked
            if access_paths and p.id_cipher and any(p.org.path.startswith(path) for path in access_paths):
                number = identity.decrypt_id(p.id_cipher)
                stats["whole"] += 1
                if len(whole_ids) < 1000:
                    whole_ids.append(p.pk)
            yield [
                p.name,
                p.get_id_type_display() if p.id_masked else "",
                number,
                p.get_gender_display(),
                p.birth_date,
                p.phone,
                p.org.name,
                p.grid.name if p.grid_id else "",
                p.household.number if p.household_id else "",
                p.get_relation_display(),
                p.address,
                p.get_residence_status_display(),
                p.ethnicity,
                p.get_education_display(),
                p.occupation,
                p.moved_in_on,
                p.notes,
            ]

    ledger = Ledger(
        title="居民花名册",
        org_name=org_name,
        year=None,
        columns=COLUMNS,
        rows=rows(),
        maker=getattr(actor, "display_name", ""),
        made_on=timezone.localdate(),
    )
    response = xlsx_response(ledger, file_name(org_name, "", None, f"居民花名册{timezone.localdate():%Y%m%d}", "xlsx"))
    detail = {"rows": stats["rows"], "filter": {k: v for k, v in vars(f).items() if v and k != "extra"}}
    if stats["whole"]:
        audit(actor, "person.view_id", None, {**detail, "export": True, "whole": stats["whole"], "persons": whole_ids})
    audit(actor, "person.export", None, {**detail, "whole": stats["whole"]})
    return response
