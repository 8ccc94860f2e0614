"""Classification of the dossier's URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations

import io
import zipfile


def _dossier(p):
    """社区A's dossier of 2026 with a small zip in place of a built one (the build is tested in test_build)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from shequ.dossier.models import Dossier, DossierJob, JobState

    found = Dossier.objects.filter(org=p.community_a, year=2026).exclude(file="").first()
    if found is not None:
        return found
    job = DossierJob.objects.create(org=p.community_a, year=2026, created_by=p.leader_a, state=JobState.DONE)
    d = Dossier.objects.create(org=p.community_a, year=2026, job=job, state=JobState.DONE)
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as zf:
        zf.writestr("社区A-2026年度档案/00-年度档案目录.pdf", b"%PDF-1.7\n")
    # apart from real dossiers' folders: this runs wherever the media storage is
    name = default_storage.save("dossiers-matrix/社区A-2026.zip", ContentFile(body.getvalue()))
    Dossier.objects.filter(pk=d.pk).update(file=name, size=len(body.getvalue()))
    d.refresh_from_db()
    return d


def _year(p):
    return {"org": p.community_a.pk, "year": 2026}


URL_OBJECTS = {
    "dossier:check": _year,
    "dossier:build": _year,
    "dossier:job": lambda p: {"pk": _dossier(p).job_id},
    "dossier:retry": lambda p: {"pk": _dossier(p).job_id},
    "dossier:download": lambda p: {"pk": _dossier(p).pk},
}
# A dossier spans every line of work: only who may export them all (the leader, the levels above) reads it.
AREA = None
