"""Persons who moved away or died are kept RESIDENTS_RETENTION_YEARS years, then anonymised by a job, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.audit import chain
from shequ.audit.models import AuditLog
from shequ.residents import retention, selectors, services
from shequ.residents.models import DisabilityProfile, Household, Person
from shequ.residents.tests.helpers import new_id, register

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


def _gone(personas, name: str, **facts) -> tuple[Person, str]:
    number = new_id()
    person = register(
        personas.worker_a, personas.community_a, name=name, id_number=number, phone="13912345678",
        estate="幸福家园", room="501", household_number="H-9", relation="02", notes="独居",
    )  # fmt: skip
    Person.objects.filter(pk=person.pk).update(**facts)
    return Person.objects.get(pk=person.pk), number


def test_past_their_retention_the_moved_and_the_dead_are_anonymised_and_audited(personas, settings):
    settings.RESIDENTS_RETENTION_YEARS = 5
    moved, moved_id = _gone(personas, "王迁出", moved_out_on=date(2021, 6, 30))
    dead, _ = _gone(personas, "李已故", is_deceased=True, deceased_on=date(2020, 1, 5))
    recent, _ = _gone(personas, "赵近迁", moved_out_on=date(2022, 1, 1))
    living, _ = _gone(personas, "钱在册")
    DisabilityProfile.objects.create(person=dead, category="4", grade="2")

    assert retention.anonymise_expired(today=TODAY) == 2
    for p in (moved, dead):
        p = Person.objects.get(pk=p.pk)
        assert (p.name, p.name_pinyin, p.id_cipher, p.id_hash, p.id_masked, p.phone, p.address) == (
            "已匿名",
            "",
            "",
            "",
            "",
            "",
            "",
        )
        assert p.birth_date is None and p.household_id is None and p.notes == "" and p.anonymised_on == TODAY
    assert not DisabilityProfile.objects.filter(person=dead).exists()
    assert Household.objects.get(number="H-9").head_id not in (moved.pk, dead.pk)
    assert Person.objects.get(pk=recent.pk).name == "赵近迁" and Person.objects.get(pk=living.pk).name == "钱在册"
    # nothing finds them by what identified them
    visible = selectors.person_list(personas.worker_a)
    assert not visible.filter(selectors.search_q(moved_id)).exists()
    assert set(visible.filter(selectors.search_q("13912345678")).values_list("name", flat=True)) == {"赵近迁", "钱在册"}
    # audited by ids only, and the chain holds
    rows = AuditLog.objects.filter(action="person.anonymise")
    assert sorted(int(r.object_id) for r in rows) == sorted([moved.pk, dead.pk])
    assert all("王迁出" not in str(r.detail) and "李已故" not in str(r.detail) for r in rows)
    assert chain.verify().ok
    # a second run finds nothing more
    assert retention.anonymise_expired(today=TODAY) == 0


def test_no_retention_set_anonymises_nothing(personas, settings):
    settings.RESIDENTS_RETENTION_YEARS = 0
    _gone(personas, "王迁出", moved_out_on=date(2001, 1, 1))
    call_command("anonymise_persons", verbosity=0)
    assert Person.objects.filter(name="王迁出").exists()


def test_the_job_runs_a_fixed_number_of_queries_per_batch(personas):
    for i in range(3):
        _gone(personas, f"甲{i}", moved_out_on=date(2010, 1, 1))
    with CaptureQueriesContext(connection) as few:
        assert retention.anonymise_expired(today=TODAY, years=5) == 3
    for i in range(30):
        _gone(personas, f"乙{i}", moved_out_on=date(2010, 1, 1))
    with CaptureQueriesContext(connection) as more:
        assert retention.anonymise_expired(today=TODAY, years=5) == 30
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_person_edited_after_being_anonymised_is_not_anonymised_twice(personas):
    moved, _ = _gone(personas, "王迁出", moved_out_on=date(2010, 1, 1))
    retention.anonymise_expired(today=TODAY, years=5)
    services.person_update(actor=personas.worker_a, person=Person.objects.get(pk=moved.pk), notes="已核")
    assert retention.anonymise_expired(today=TODAY, years=5) == 0
    assert AuditLog.objects.filter(action="person.anonymise").count() == 1


def test_a_death_without_a_date_counts_from_the_day_it_was_marked(personas, time_machine):
    """Marked dead (no date of death) in 2020 and edited since: the audit log's edit that set the mark dates it;
    a row marked dead without an edit on record counts from its last update; a mark set last year waits."""
    time_machine.move_to("2020-03-01 10:00 +08:00", tick=False)
    marked, _ = _gone(personas, "周已故")
    services.person_update(actor=personas.worker_a, person=marked, is_deceased=True)
    old, _ = _gone(personas, "吴已故", is_deceased=True)  # no edit on record: its last update dates it
    time_machine.move_to("2025-06-01 10:00 +08:00", tick=False)
    services.person_update(actor=personas.worker_a, person=Person.objects.get(pk=marked.pk), notes="户籍待注销")
    recent, _ = _gone(personas, "郑已故")
    services.person_update(actor=personas.worker_a, person=recent, is_deceased=True)
    time_machine.move_to("2026-12-02 10:00 +08:00", tick=False)

    assert retention.anonymise_expired(today=TODAY, years=5) == 2
    names = dict(Person.objects.filter(pk__in=[marked.pk, old.pk, recent.pk]).values_list("pk", "name"))
    assert names == {marked.pk: "已匿名", old.pk: "已匿名", recent.pk: "郑已故"}
    reasons = {r.detail["reason"] for r in AuditLog.objects.filter(action="person.anonymise")}
    assert reasons == {"deceased"}


def test_anonymising_clears_the_account_link(personas):
    moved, _ = _gone(personas, "王迁出", moved_out_on=date(2010, 1, 1))
    Person.objects.filter(pk=moved.pk).update(account=personas.resident)
    retention.anonymise_expired(today=TODAY, years=5)
    assert Person.objects.get(pk=moved.pk).account_id is None
    assert not Person.objects.own(personas.resident).exists()


def test_the_daily_command_enqueues_the_task_for_the_worker(personas, settings):
    from django_tasks_db.models import DBTaskResult

    settings.RESIDENTS_RETENTION_YEARS = 5
    _gone(personas, "王迁出", moved_out_on=date(2010, 1, 1))
    call_command("anonymise_persons", enqueue=True, verbosity=0)
    assert Person.objects.filter(name="王迁出").exists()  # not yet: the worker runs it
    job = DBTaskResult.objects.get()
    assert job.task_path.endswith("anonymise_persons_task")
    from shequ.residents.tasks import anonymise_persons_task

    assert anonymise_persons_task.call() == 1
    assert not Person.objects.filter(name="王迁出").exists()
