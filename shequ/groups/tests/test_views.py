from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.groups.models import Group
from shequ.groups.tests.helpers import group, residents

pytestmark = pytest.mark.django_db

# Queries per page, whatever the number of groups and members (the shell, the session and the scope included).
# The person page: one query per panel the apps declare (the groups a person serves in, the courses they took), two
# for care's (the disabled and the special groups under care; none under care here).
LIST, DETAIL, PERSON = 14, 15, 23  # the person page names the linked account and the cases, and audits the view (2)


def test_the_list_and_the_page_show_members_roles_and_the_term(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    client = client_for(personas.worker_a)
    listing = client.get(reverse("groups:list")).content.decode()
    assert "健康教育领导小组" in listing and "3人" in listing
    page = client.get(reverse("groups:detail", args=[g.pk])).content.decode()
    assert "组长" in page and "第1届（2026年1月—2029年12月）" in page
    assert "超过半数成员到会方可开会" in page
    assert reverse("groups:member_add", args=[g.pk]) in page


def test_a_worker_of_community_b_gets_404(personas, client_for):
    g = group(personas.worker_a, personas.community_a)
    assert client_for(personas.worker_b).get(reverse("groups:detail", args=[g.pk])).status_code == 404


def test_the_street_sees_the_group_but_no_button_to_change_it(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=1)
    page = client_for(personas.inspector).get(reverse("groups:detail", args=[g.pk])).content.decode()
    assert g.name in page and reverse("groups:member_add", args=[g.pk]) not in page


def test_creating_a_group_from_the_form(personas, client_for):
    client = client_for(personas.worker_a)
    from shequ.groups.models import GroupKind
    from shequ.orgs.models import Area

    data = {
        "org": personas.community_a.pk,
        "area": Area.objects.get(code="health").pk,
        "kind": GroupKind.objects.get(code="leading").pk,
        "name": "健康教育领导小组",
        "founded_on": "2026-01-05",
        "term_start": "2026-01-05",
        "term_end": "2025-12-31",
    }
    bad = client.post(reverse("groups:create"), data)
    assert bad.status_code == 200 and "任期结束应晚于任期开始" in bad.content.decode()
    assert "健康教育领导小组" in bad.content.decode()  # what was typed stays
    data["term_end"] = "2030-12-31"
    ok = client.post(reverse("groups:create"), data)
    g = Group.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("groups:detail", args=[g.pk])


def test_adding_a_member_from_the_registry_and_recording_their_leaving(personas, client_for):
    g = group(personas.worker_a, personas.community_a)
    person = residents(personas.community_a, 1)[0]
    client = client_for(personas.worker_a)
    r = client.post(
        reverse("groups:member_add", args=[g.pk]), {"person": person.pk, "role": "组长", "joined_on": "2026-01-10"}
    )
    assert r.status_code == 302
    m = g.members.get()
    client.post(reverse("groups:member_leave", args=[m.pk]), {"left_on": "2026-03-01", "note": "调离"})
    m.refresh_from_db()
    assert m.left_on == date(2026, 3, 1)
    page = client.get(reverse("groups:detail", args=[g.pk])).content.decode()
    assert "历任成员" in page and "调离" in page


def test_the_person_and_household_pages_show_the_groups_the_person_serves_in(personas, client_for):
    from shequ.residents.models import Household

    g = group(personas.worker_a, personas.community_a, members=1)
    person = g.members.get().person
    person.household = Household.objects.create(org=personas.community_a, number="H-9")
    person.save()
    client = client_for(personas.worker_a)
    page = client.get(reverse("residents:detail", args=[person.pk])).content.decode()
    assert "担任职务的组织机构" in page and "健康教育领导小组 · 组长" in page
    household = client.get(reverse("residents:household", args=[person.household_id])).content.decode()
    assert "健康教育领导小组 · 组长" in household


@pytest.mark.parametrize("n", [2, 40])
def test_the_pages_run_a_fixed_number_of_queries(n, personas, client_for, django_assert_max_num_queries):
    groups = [group(personas.worker_a, personas.community_a, name=f"小组{i}", members=n // 2) for i in range(n // 2)]
    client = client_for(personas.worker_a)
    client.get(reverse("groups:list"))  # the session and the scope are warm
    with django_assert_max_num_queries(LIST):
        assert client.get(reverse("groups:list")).status_code == 200
    with django_assert_max_num_queries(DETAIL):
        assert client.get(reverse("groups:detail", args=[groups[0].pk])).status_code == 200
    person = groups[0].members.first().person
    with django_assert_max_num_queries(PERSON):
        assert client.get(reverse("residents:detail", args=[person.pk])).status_code == 200
