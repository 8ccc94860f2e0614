import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.orgtree import services
from shequ.audit.models import AuditLog
from shequ.orgs.models import Org, OrgKind, UnitType, validate_division_code


@pytest.mark.parametrize(
    ("code", "kind", "ok"),
    [
        ("420199000000", OrgKind.DISTRICT, True),
        ("420100000000", OrgKind.DISTRICT, False),  # a prefecture, not a county
        ("420199001000", OrgKind.STREET, True),
        ("420199001001", OrgKind.STREET, False),
        ("420199001001", OrgKind.COMMUNITY, True),
        ("420199101200", OrgKind.COMMUNITY, True),  # 村委会 200–399
        ("420199101400", OrgKind.COMMUNITY, False),
        ("42019900100", OrgKind.COMMUNITY, False),
        ("990199001001", OrgKind.COMMUNITY, False),
    ],
)
def test_division_code_structure(code, kind, ok):
    if ok:
        validate_division_code(code, kind)
    else:
        with pytest.raises(ValidationError):
            validate_division_code(code, kind)


def test_admin_creates_community_under_street_with_path_and_audit(personas):
    org = services.org_create(
        actor=personas.admin,
        parent=personas.street,
        kind=OrgKind.COMMUNITY,
        name="新社区",
        division_code="420199001003",
    )
    assert org.path == personas.street.path + f"{org.pk:06d}/"
    assert org.depth == personas.street.depth + 1
    assert AuditLog.objects.filter(action="org.create", object_id=str(org.pk), actor=personas.admin).exists()


def test_community_cannot_hang_under_district(personas):
    with pytest.raises(ValidationError) as exc:
        services.org_create(actor=personas.admin, parent=personas.district, kind=OrgKind.COMMUNITY, name="错挂社区")
    assert "不能挂在" in str(exc.value)


def test_community_code_must_share_street_prefix(personas):
    with pytest.raises(ValidationError) as exc:
        services.org_create(
            actor=personas.admin,
            parent=personas.street,
            kind=OrgKind.COMMUNITY,
            name="代码不符",
            division_code="420199002001",
        )
    assert "前缀" in str(exc.value)


def test_unit_needs_type_and_hangs_anywhere(personas):
    school = services.org_create(
        actor=personas.admin, parent=personas.street, kind=OrgKind.UNIT, name="中心小学", unit_type=UnitType.SCHOOL
    )
    assert school.kind_label == "学校"
    with pytest.raises(ValidationError):
        services.org_create(actor=personas.admin, parent=personas.street, kind=OrgKind.UNIT, name="无类型单位")


def test_worker_cannot_create_orgs(personas):
    with pytest.raises(PermissionDenied):
        services.org_create(actor=personas.worker_a, parent=personas.community_a, kind=OrgKind.GRID, name="新网格")


def test_move_rewrites_the_whole_subtree_in_one_update(personas):
    grid = personas.grid_a
    # A community that changes street gets a new division code; clear the old one first.
    services.org_update(actor=personas.admin, org=personas.community_a, division_code="")
    services.org_move(actor=personas.admin, org=personas.community_a, new_parent=personas.other_street)
    grid.refresh_from_db()
    a = Org.objects.get(pk=personas.community_a.pk)
    assert a.parent_id == personas.other_street.pk
    assert a.path.startswith(personas.other_street.path)
    assert grid.path.startswith(a.path)
    assert grid.depth == a.depth + 1
    assert set(Org.objects.subtree(personas.other_street).values_list("pk", flat=True)) >= {a.pk, grid.pk}
    assert not Org.objects.subtree(personas.street).filter(pk=grid.pk).exists()


def test_move_keeping_a_code_of_the_old_street_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.org_move(actor=personas.admin, org=personas.community_a, new_parent=personas.other_street)
    assert "前缀" in str(exc.value)


def test_move_under_own_descendant_is_refused(personas):
    with pytest.raises(ValidationError):
        services.org_move(actor=personas.admin, org=personas.street, new_parent=personas.grid_a)


def test_retire_keeps_the_row_and_needs_children_retired_first(personas):
    with pytest.raises(ValidationError):
        services.org_retire(actor=personas.admin, org=personas.community_a)
    services.org_retire(actor=personas.admin, org=personas.grid_a)
    services.org_retire(actor=personas.admin, org=personas.community_a)
    a = Org.objects.get(pk=personas.community_a.pk)
    assert not a.is_active and a.retired_at is not None


def test_rename_is_audited_with_the_change(personas):
    services.org_update(actor=personas.admin, org=personas.community_a, name="社区甲")
    row = AuditLog.objects.get(action="org.update")
    assert row.detail["changes"]["name"] == ["社区A", "社区甲"]
