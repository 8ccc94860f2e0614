import pytest

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Org


def test_worker_scope_is_own_subtree(personas):
    visible = set(Org.objects.visible_to(personas.worker_a).values_list("name", flat=True))
    assert visible == {"社区A", "A第1网格"}


def test_street_supervisor_sees_both_communities_not_other_street(personas):
    visible = set(Org.objects.visible_to(personas.supervisor).values_list("name", flat=True))
    assert {"和平街道", "社区A", "社区B", "A第1网格"} <= visible
    assert "社区C" not in visible and "明德区" not in visible


def test_resident_has_no_data_scope(personas):
    assert not Org.objects.visible_to(personas.resident).exists()
    assert access.can(personas.resident, personas.community_a, Perm.REPORT_CASE)


def test_inspector_reads_but_cannot_write(personas):
    assert access.can(personas.inspector, personas.community_c, Perm.VIEW)
    assert not access.can(personas.inspector, personas.community_c, Perm.RECORD_WORK)


def test_worker_rights_are_bound_to_areas(personas, django_user_model):
    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area

    health = Area.objects.get(code="health")
    safety = Area.objects.get(code="safety")
    m = Membership.objects.get(user=personas.worker_b)
    m.areas.set([health])
    access.forget(personas.worker_b)
    assert access.can(personas.worker_b, personas.community_b, Perm.RECORD_WORK, area=health)
    assert not access.can(personas.worker_b, personas.community_b, Perm.RECORD_WORK, area=safety)


@pytest.mark.parametrize("n_orgs", [10, 200])
def test_scoped_query_is_one_query_whatever_the_tree(personas, django_assert_num_queries, n_orgs):
    from shequ.testing.factories import OrgFactory

    for i in range(n_orgs):
        OrgFactory(name=f"网格{i}", kind="grid", parent=personas.community_a)
    access.resolve(personas.supervisor)  # the scope is resolved once per request
    with django_assert_num_queries(1):
        names = list(Org.objects.visible_to(personas.supervisor).values_list("name", flat=True))
    assert len(names) == n_orgs + 4
