"""Classification of the registry's URLs for the authorization matrix (see core's test_authorization_matrix)."""

from __future__ import annotations

from shequ.residents import services
from shequ.residents.models import ImportJob, ImportStatus, Relation, SpecialGroupProfile

PUBLIC_URLS: set[str] = set()


def _person(p):
    from shequ.residents.tests.helpers import register

    return register(
        p.worker_a, p.community_a, name="矩阵测试", grid=p.grid_a, household_number="M-1", relation=Relation.HEAD
    )


def _person_kw(p):
    return {"pk": _person(p).pk}


def _profile_kw(p):
    return {"pk": _person(p).pk, "kind": "disability"}


def _special(p):
    person = _person(p)
    special = services.profile_save(
        actor=p.leader_a,
        person=person,
        kind="special",
        instance=SpecialGroupProfile(person=person, kind="correction"),
    )
    return {"pk": person.pk, "kind": "special", "profile_pk": special.pk}


def _household_kw(p):
    return {"pk": _person(p).household_id}


def _job_kw(p):
    job = ImportJob.objects.create(
        org=p.community_a, created_by=p.worker_a, filename="a.xlsx", status=ImportStatus.DONE, total=1, added=1
    )
    return {"pk": job.pk}


def _failed_job_kw(p):
    """A checked file with one wrong row (its file of errors can be downloaded)."""
    from django.core.files.base import ContentFile

    from shequ.residents.imports import jobs
    from shequ.residents.tests.test_imports import xlsx

    job = ImportJob(org=p.community_a, created_by=p.worker_a, filename="a.xlsx")
    job.file.save(
        "a.xlsx", ContentFile(xlsx([["错号", "110105194912310021"]], header=["姓名", "证件号码"])), save=False
    )
    job.save()
    jobs.process(job.pk)
    return {"pk": job.pk}


URL_OBJECTS = {
    "residents:detail": _person_kw,
    "residents:edit": _person_kw,
    "residents:move": _person_kw,
    "residents:reveal": _person_kw,
    "residents:not_duplicate": _person_kw,
    "residents:link_account": _person_kw,
    "residents:unlink_account": _person_kw,
    "residents:profile": _profile_kw,
    "residents:profile_edit": _special,
    "residents:profile_delete": _special,
    "residents:household": _household_kw,
    "residents:household_edit": _household_kw,
    "residents:household_move": _household_kw,
    "residents:import_detail": _job_kw,
    "residents:import_confirm": _job_kw,
    "residents:import_map": _job_kw,
    "residents:import_sheet": _job_kw,
    "residents:import_restart": _job_kw,
    "residents:import_discard": _job_kw,
    "residents:import_errors": _failed_job_kw,
    "api:get_person": lambda p: {"person_id": _person(p).pk},
    "api:reveal_id_number": lambda p: {"person_id": _person(p).pk},
    "api:get_household": lambda p: {"household_id": _person(p).household_id},
}

# Deleting works once: only one insider tries it.
URL_INSIDERS = {"residents:profile_delete": ("leader_a",)}
# The API's search takes its terms as JSON in the body; the matrix posts nothing: a 422, like a list without its query.
NEEDS_QUERY = {"api:search_persons"}

# The extended matrix: the person lives in 社区A's first grid; profiles belong to their line of work.
GRID_URLS = {
    "residents:detail",
    "residents:edit",
    "residents:move",
    "residents:reveal",
    "residents:not_duplicate",
    "residents:link_account",
    "residents:unlink_account",
    "residents:profile",
    "residents:profile_edit",
    "residents:profile_delete",
    "residents:household",
    "residents:household_edit",
    "residents:household_move",
    "api:get_person",
    "api:reveal_id_number",
    "api:get_household",
}
URL_AREAS = {
    "residents:profile": "disability",
    "residents:profile_edit": "safety",
    "residents:profile_delete": "safety",
}
URL_REACH = {name: "office" for name in URL_OBJECTS if name.startswith(("residents:import", "residents:profile"))}
