"""Every write to the org tree and the areas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.orgs.models import Area, Org, path_for


def _check_parent(actor: User, parent: Org | None) -> None:
    if parent is None:
        if not actor.is_superuser:
            raise access.PermissionDenied("只有超级管理员可以创建顶层组织。")
    else:
        access.check(actor, parent, Perm.MANAGE_ORGS)


def org_create(
    *,
    actor: User,
    parent: Org | None,
    kind: str,
    name: str,
    unit_type: str = "",
    division_code: str = "",
    code_year: int | None = None,
    sort: int = 0,
    address: str = "",
    phone: str = "",
) -> Org:
    """Create a node under ``parent``; its path is set from its id in the same transaction."""
    _check_parent(actor, parent)
    org = Org(
        parent=parent,
        kind=kind,
        name=name.strip(),
        unit_type=unit_type,
        division_code=division_code,
        code_year=code_year,
        sort=sort,
        address=address,
        phone=phone,
    )
    org.full_clean(exclude=["path"])
    with transaction.atomic():
        org.save()
        org.path = path_for(org.pk, parent)
        org.depth = parent.depth + 1 if parent else 0
        org.save(update_fields=["path", "depth"])
        audit(actor, "org.create", org, {"parent": parent.pk if parent else None, "kind": kind})
    return org


def org_update(*, actor: User, org: Org, **fields) -> Org:
    """Rename or edit the plain fields of a node (not its place in the tree)."""
    access.check(actor, org, Perm.MANAGE_ORGS)
    allowed = {"name", "unit_type", "division_code", "code_year", "sort", "address", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    before = {k: getattr(org, k) for k in fields}
    for key, value in fields.items():
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    org.full_clean(exclude=["path"])
    with transaction.atomic():
        org.save(update_fields=[*fields, "updated_at"])
        changes = {k: [before[k], getattr(org, k)] for k in fields if before[k] != getattr(org, k)}
        audit(actor, "org.update", org, {"changes": changes})
    return org


def org_move(*, actor: User, org: Org, new_parent: Org) -> Org:
    """Move a node and its whole subtree under ``new_parent`` with one UPDATE of the paths."""
    access.check(actor, org, Perm.MANAGE_ORGS)
    access.check(actor, new_parent, Perm.MANAGE_ORGS)
    if new_parent.path.startswith(org.path):
        raise ValidationError("不能把组织移到它自己或它的下级之下。")
    old_parent_id = org.parent_id
    org.parent = new_parent
    org.full_clean(exclude=["path"])
    with transaction.atomic():
        old_path = org.path
        new_path = path_for(org.pk, new_parent)
        depth_delta = (new_parent.depth + 1) - org.depth
        Org.objects.filter(pk=org.pk).update(parent=new_parent)
        Org.objects.subtree(org).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
            depth=F("depth") + depth_delta,
        )
        org.refresh_from_db()
        audit(actor, "org.move", org, {"from": old_parent_id, "to": new_parent.pk})
    return org


def org_retire(*, actor: User, org: Org) -> Org:
    """Retire a node: it stays with all its history, but no longer takes new data or logins."""
    access.check(actor, org, Perm.MANAGE_ORGS)
    if Org.objects.subtree(org, include_self=False).active().exists():
        raise ValidationError("请先撤销或迁出它的下级组织。")
    with transaction.atomic():
        org.is_active = False
        org.retired_at = timezone.now()
        org.save(update_fields=["is_active", "retired_at", "updated_at"])
        audit(actor, "org.retire", org)
    return org


def org_restore(*, actor: User, org: Org) -> Org:
    access.check(actor, org, Perm.MANAGE_ORGS)
    if org.parent is not None and not org.parent.is_active:
        raise ValidationError("上级组织已撤销，不能恢复。")
    with transaction.atomic():
        org.is_active = True
        org.retired_at = None
        org.save(update_fields=["is_active", "retired_at", "updated_at"])
        audit(actor, "org.restore", org)
    return org


def _check_area_admin(actor: User) -> None:
    if not (actor.is_superuser or access.can_anywhere(actor, Perm.MANAGE_AREAS)):
        raise access.PermissionDenied("只有系统管理员可以维护工作条线。")


def area_create(*, actor: User, code: str, name: str, description: str = "", sort: int = 0) -> Area:
    _check_area_admin(actor)
    area = Area(code=code.strip(), name=name.strip(), description=description, sort=sort)
    area.full_clean()
    with transaction.atomic():
        area.save()
        audit(actor, "area.create", area)
    return area


def area_update(*, actor: User, area: Area, **fields) -> Area:
    _check_area_admin(actor)
    for key, value in fields.items():
        if key not in {"name", "description", "sort", "is_active"}:
            raise ValueError(f"cannot update {key}")
        setattr(area, key, value)
    area.full_clean()
    with transaction.atomic():
        area.save()
        audit(actor, "area.update", area, {"fields": sorted(fields)})
    return area
