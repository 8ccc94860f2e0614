"""Views of sensitive profiles and refusals are written to the audit log (once per request)."""

from __future__ import annotations

from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.residents import services
from shequ.residents.models import SpecialGroupProfile
from shequ.residents.tests.helpers import register


def test_opening_a_person_with_a_sensitive_profile_is_audited_with_the_kinds(personas, client_for):
    person = register(personas.worker_a, personas.community_a, name="孙八")
    services.profile_save(
        actor=personas.leader_a, person=person, kind="special", instance=SpecialGroupProfile(person=person, kind="drug")
    )
    services.profile_save(actor=personas.worker_a, person=person, kind="disability", category="4", grade="3")
    plain = register(personas.worker_a, personas.community_a, name="周九")
    page = client_for(personas.leader_a)
    assert page.get(reverse("residents:detail", args=[person.pk])).status_code == 200
    assert page.get(reverse("residents:detail", args=[plain.pk])).status_code == 200
    rows = list(AuditLog.objects.filter(action="person.view_sensitive"))
    assert len(rows) == 1
    assert rows[0].actor == personas.leader_a and rows[0].object_id == str(person.pk)
    assert rows[0].detail["kinds"] == ["disability", "drug"] and "孙八" not in str(rows[0].detail)
    # Every view of a person's file is audited: the one without a sensitive profile too, by ids only.
    plain_rows = list(AuditLog.objects.filter(action="person.view"))
    assert [(r.actor, r.object_id) for r in plain_rows] == [(personas.leader_a, str(plain.pk))]
    assert "周九" not in str(plain_rows[0].detail)
    page.get(reverse("residents:detail", args=[plain.pk]))
    assert AuditLog.objects.filter(action="person.view", object_id=str(plain.pk)).count() == 2


def test_a_person_outside_the_scope_answers_404_and_the_refusal_is_audited_once(personas, client_for):
    person = register(personas.worker_a, personas.community_a, name="孙八")
    response = client_for(personas.worker_b).get(reverse("residents:detail", args=[person.pk]))
    assert response.status_code == 404
    rows = list(AuditLog.objects.filter(action="auth.not_found"))
    assert len(rows) == 1 and rows[0].actor == personas.worker_b and not rows[0].success
    assert rows[0].detail["path"] == reverse("residents:detail", args=[person.pk])


def test_an_api_404_outside_the_scope_is_audited(personas, client_for):
    person = register(personas.worker_a, personas.community_a, name="孙八")
    response = client_for(personas.worker_b).get(f"/api/residents/persons/{person.pk}")
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="auth.not_found", actor=personas.worker_b).count() == 1


def test_a_burst_of_refusals_rings_the_administrators_bell(personas, client_for, settings):
    from shequ.plans.models import Reminder, ReminderKind

    settings.REFUSAL_ALERT_COUNT = 5
    person = register(personas.worker_a, personas.community_a, name="孙八")
    page = client_for(personas.worker_b)
    for _ in range(7):
        page.get(reverse("residents:detail", args=[person.pk]))
    assert AuditLog.objects.filter(action="auth.refusal_burst", actor=personas.worker_b).count() == 1
    alerts = Reminder.objects.filter(kind=ReminderKind.SECURITY)
    assert [a.user for a in alerts] == [personas.admin]
    assert "社区B专干" in alerts[0].message and "5次" in alerts[0].message
