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


def test_scope_is_resolved_once_per_user_object_and_filters_with_constant_ids(personas, django_assert_num_queries):
    from shequ.records.models import Record
    from shequ.residents.models import Person

    user = personas.worker_a
    access.forget(user)
    with django_assert_num_queries(3):  # the memberships, their areas, the org ids of the subtrees
        access.resolve(user)
    with django_assert_num_queries(0):
        sql = str(Person.objects.visible_to(user).order_by().query) + str(Record.objects.visible_to(user).query)
    assert "orgs_org" not in sql  # no subquery over the tree for the planner to misjudge
    assert f"IN ({personas.community_a.pk}, {personas.grid_a.pk})" in sql


def test_a_grant_over_the_whole_tree_checks_rows_against_no_list_of_orgs(personas):
    from shequ.residents.models import Person

    sql = str(Person.objects.visible_to(personas.inspector).query)
    assert " IN (" not in sql
    mine = Person.objects.create(org=personas.community_c, name="丙")
    assert Person.objects.visible_to(personas.inspector).filter(pk=mine.pk).exists()
    assert not Person.objects.visible_to(personas.worker_a).filter(pk=mine.pk).exists()


def test_grid_worker_sees_persons_and_households_of_their_grid_only(personas):
    from shequ.residents.models import Household, Person

    hh = Household.objects.create(org=personas.community_a, grid=personas.grid_a, number="G-1")
    in_grid = Person.objects.create(org=personas.community_a, grid=personas.grid_a, household=hh, name="甲")
    outside = Person.objects.create(org=personas.community_a, name="乙")
    assert list(Person.objects.visible_to(personas.grid_a_worker)) == [in_grid]
    assert list(Household.objects.visible_to(personas.grid_a_worker)) == [hh]
    assert set(Person.objects.visible_to(personas.worker_a)) == {in_grid, outside}


def test_area_bound_worker_sees_records_and_profiles_of_their_areas_only(personas):
    from datetime import date

    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area
    from shequ.records.models import ActivityType, Record
    from shequ.residents.models import DisabilityProfile, FloatingProfile, Person

    Membership.objects.get(user=personas.worker_a).areas.set([Area.objects.get(code="health")])
    access.forget(personas.worker_a)
    rows = {}
    for code in ("health", "safety"):
        t = ActivityType.objects.filter(area__code=code).first()
        rows[code] = Record.objects.create(
            org=personas.community_a, area=t.area, activity_type=t, date=date(2025, 3, 1), year=2025, title=code
        )
    assert list(Record.objects.visible_to(personas.worker_a)) == [rows["health"]]
    p = Person.objects.create(org=personas.community_a, name="丁")
    DisabilityProfile.objects.create(person=p)
    FloatingProfile.objects.create(person=p)
    assert not DisabilityProfile.objects.visible_to(personas.worker_a).exists()
    assert not FloatingProfile.objects.visible_to(personas.worker_a).exists()
    assert DisabilityProfile.objects.visible_to(personas.leader_a).exists()
