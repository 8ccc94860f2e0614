import pytest

from shequ.residents import selectors, services
from shequ.residents.tests.helpers import area_worker, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiled(personas):
    p = register(personas.worker_a, personas.community_a, name="刘残", grid=personas.grid_a)
    services.profile_save(actor=personas.leader_a, person=p, kind="disability", category="1", grade="2")
    services.profile_save(actor=personas.leader_a, person=p, kind="floating", origin="河南省信阳市")
    from shequ.residents.models import SpecialGroupProfile

    services.profile_save(
        actor=personas.leader_a,
        person=p,
        kind="special",
        instance=SpecialGroupProfile(person=p, kind="correction"),
        correction_type="probation",
    )
    services.profile_save(actor=personas.leader_a, person=p, kind="volunteer", team="夕阳红")
    return p


def kinds(user, person):
    prof = selectors.person_profiles(user, person)
    return {k for k in ("disability", "floating", "volunteer") if getattr(prof, k)} | (
        {"special"} if prof.special else set()
    )


def test_leader_and_admin_see_every_profile(personas, profiled):
    assert kinds(personas.leader_a, profiled) == {"disability", "floating", "special", "volunteer"}
    assert kinds(personas.admin, profiled) == {"disability", "floating", "special", "volunteer"}


def test_disability_worker_sees_disability_but_not_safety_profiles(personas, profiled):
    worker = area_worker(personas.community_a, "disability")
    assert kinds(worker, profiled) == {"disability", "volunteer"}


def test_safety_worker_sees_special_groups_and_floating_population_only(personas, profiled):
    worker = area_worker(personas.community_a, "safety")
    assert kinds(worker, profiled) == {"floating", "special", "volunteer"}


def test_grid_worker_and_inspector_see_the_person_but_no_sensitive_profile(personas, profiled):
    assert selectors.person_get(personas.grid_a_worker, profiled.pk) == profiled
    assert kinds(personas.grid_a_worker, profiled) == {"volunteer"}
    assert kinds(personas.inspector, profiled) == {"volunteer"}


def test_disability_worker_of_another_community_sees_nothing(personas, profiled):
    worker = area_worker(personas.community_b, "disability")
    assert not selectors.person_list(worker).filter(pk=profiled.pk).exists()


def _listed(actor, profile: str) -> list:
    from shequ.residents.filters import PersonFilter

    return list(PersonFilter({"profile": profile}, queryset=selectors.person_list(actor), actor=actor).rows)


def test_profile_filter_never_reveals_what_the_actor_may_not_see(personas, profiled):
    assert _listed(personas.leader_a, "disability") == [profiled]
    assert _listed(area_worker(personas.community_a, "safety"), "disability") == []
    assert _listed(personas.grid_a_worker, "special") == []
    both = area_worker(personas.community_a, "safety")
    assert _listed(both, "special_correction") == [profiled]


def test_profile_page_of_another_line_of_work_is_hidden(personas, profiled, client_for):
    safety = client_for(area_worker(personas.community_a, "safety"))
    assert safety.get(f"/residents/{profiled.pk}/profiles/disability/").status_code == 404
    page = safety.get(f"/residents/{profiled.pk}/").content.decode()
    assert "视力残疾" not in page and "社区矫正对象" in page
    disability = client_for(area_worker(personas.community_a, "disability"))
    page = disability.get(f"/residents/{profiled.pk}/").content.decode()
    assert "视力残疾" in page and "社区矫正对象" not in page and "河南省信阳市" not in page


def test_street_leader_sees_profiles_of_the_communities_below(personas, profiled):
    assert "disability" in kinds(personas.supervisor, profiled)


def test_profile_lists_follow_the_person_who_moves(personas, profiled):
    """A community's profile lists read its profiles by their community: a person moved out leaves them at once
    and shows in the new community's, alone or with the whole household."""
    b_worker = area_worker(personas.community_b, "disability")
    assert _listed(b_worker, "disability") == []
    services.person_move(actor=personas.supervisor, person=profiled, to_org=personas.community_b)
    assert _listed(personas.leader_a, "disability") == []
    assert _listed(b_worker, "disability") == [profiled]
    assert _listed(area_worker(personas.community_b, "safety"), "special_correction") == [profiled]

    head = register(personas.worker_a, personas.community_a, name="户主", household_number="A-7", relation="01")
    services.profile_save(actor=personas.leader_a, person=head, kind="disability", category="4", grade="3")
    assert _listed(personas.leader_a, "disability") == [head]
    services.household_move(actor=personas.supervisor, household=head.household, to_org=personas.community_b)
    assert _listed(personas.leader_a, "disability") == []
    assert {p.name for p in _listed(b_worker, "disability")} == {"刘残", "户主"}


def test_grid_worker_lists_the_volunteers_filed_under_the_grid(personas, profiled):
    assert _listed(personas.grid_a_worker, "volunteer") == [profiled]
    assert _listed(personas.grid_a_worker, "disability") == []
    assert _listed(personas.worker_a, "volunteer") == [profiled]


def _badges(client) -> set[str]:
    import re

    html = client.get("/residents/").content.decode()
    cell = re.search(r'data-label="人群">(.*?)</td>', html, re.S)
    return set(re.findall(r'<span class="tag">(.*?)</span>', cell.group(1))) if cell else set()


def test_the_list_badges_show_only_the_profiles_the_reader_may_see(personas, profiled, client_for):
    assert _badges(client_for(personas.leader_a)) == {"残疾人", "流动人口", "社区矫正对象", "志愿者"}
    assert _badges(client_for(area_worker(personas.community_a, "safety"))) == {"流动人口", "社区矫正对象", "志愿者"}
    assert _badges(client_for(area_worker(personas.community_a, "disability"))) == {"残疾人", "志愿者"}
    assert _badges(client_for(personas.grid_a_worker)) == {"志愿者"}
