"""The dossier's pages: who sees which community's dossier, the checklist's queries, the build and download audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.dossier.models import Dossier, DossierJob
from shequ.dossier.tests.helpers import YEAR, a_year, board_plan, boards, built, meeting_without_minutes

pytestmark = pytest.mark.django_db


def _urls(p) -> list[str]:
    a_year(p)
    built(p.leader_a, p.community_a)
    d = Dossier.objects.get(org=p.community_a)
    return [
        f"{reverse('dossier:index')}?org={p.community_a.pk}&year={YEAR}",
        reverse("dossier:check", args=[p.community_a.pk, YEAR]),
        reverse("dossier:job", args=[d.job_id]),
        reverse("dossier:download", args=[d.pk]),
    ]


def test_the_community_and_the_street_above_it_see_its_dossier(personas, client_for):
    urls = _urls(personas)
    for who in (personas.leader_a, personas.supervisor, personas.admin):
        for url in urls:
            assert client_for(who).get(url).status_code == 200, (who, url)


def test_another_community_gets_404_and_a_line_worker_403(personas, client_for):
    urls = _urls(personas)
    for url in urls[1:]:
        assert client_for(personas.worker_b).get(url).status_code == 404, url
        assert client_for(personas.worker_a).get(url).status_code == 403, url  # a 专干 holds only their lines
    other = reverse("dossier:check", args=[personas.community_c.pk, YEAR])
    assert client_for(personas.supervisor).get(other).status_code == 404  # 社区C lies under another street


def test_the_download_is_an_audited_attachment_never_sniffed(personas, client_for):
    url = _urls(personas)[3]
    response = client_for(personas.supervisor).get(url)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
    assert response["Content-Type"] == "application/zip"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    d = Dossier.objects.get(org=personas.community_a)
    row = AuditLog.objects.filter(action="dossier.download", object_id=str(d.pk)).get()
    assert row.actor_id == personas.supervisor.pk


def test_one_click_queues_the_job_and_audits_it(personas, client_for):
    response = client_for(personas.leader_a).post(reverse("dossier:build", args=[personas.community_a.pk, YEAR]))
    job = DossierJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossier:job", args=[job.pk])
    assert AuditLog.objects.filter(action="dossier.build", object_id=str(job.pk)).count() == 1
    page = client_for(personas.leader_a).get(response["Location"], HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 2s"' in page.content  # queued: the page polls


def test_a_line_worker_cannot_start_a_build(personas, client_for):
    response = client_for(personas.worker_a).post(reverse("dossier:build", args=[personas.community_a.pk, YEAR]))
    assert response.status_code == 403
    assert not DossierJob.objects.exists()


def _grow(p, n: int, g=None):
    boards(p.leader_a, p.community_a, [1 + i % 12 for i in range(n)])
    for i in range(n // 10):
        g = meeting_without_minutes(p.leader_a, p.community_a, day=date(YEAR, 2 + i % 11, 2), g=g).group
    return g


@pytest.mark.parametrize("n", [10, 40])
def test_the_checklist_runs_a_fixed_number_of_queries(personas, client_for, n):
    board_plan(personas.community_a)
    client = client_for(personas.leader_a)
    url = reverse("dossier:check", args=[personas.community_a.pk, YEAR])
    g = _grow(personas, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(personas, n, g)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert response.context["count"] > 0
