"""kill -9 in the middle of a dossier build: no half dossier is ever served, and the job simply runs again."""

from __future__ import annotations

import pytest

from shequ.dossier import services
from shequ.dossier.models import Dossier
from shequ.dossier.tests.helpers import YEAR, a_year, built
from shequ.testing import killed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "pause",
    [
        "dossier.build:add_part:after",  # half the ledgers in the .part file
        "dossier.build:publish:before",  # the zip written whole, not yet renamed
        "dossier.build:publish:after",  # renamed to its final name, the row not yet pointing at it
    ],
)
def test_a_first_build_killed_midway_serves_nothing_and_runs_again(personas, tmp_path, pause):
    a_year(personas)
    job = services.request_build(actor=personas.leader_a, org=personas.community_a, year=YEAR, enqueue=False)
    d = Dossier.objects.get(job=job)
    env = killed.child_env(tmp_path)
    killed.kill_at(env, pause, "dossier_build", job.pk)
    left = killed.state(env, "dossier_state", d.pk)
    assert (left["state"], left["served"], left["whole_files"]) == ("running", "", None)
    assert "DONE done" in killed.run(env, "dossier_build", job.pk)  # the same job, run again
    after = killed.state(env, "dossier_state", d.pk)
    assert after["state"] == "done" and after["whole_files"] > 30
    assert after["folder"] == [after["served"]]  # what the killed build left is swept away


def test_a_rebuild_killed_midway_keeps_serving_the_last_whole_dossier(personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the child's media: the first build's zip is there
    a_year(personas)
    built(personas.leader_a, personas.community_a)
    d = Dossier.objects.get(org=personas.community_a)
    first = d.file.rsplit("/", 1)[-1]
    job = services.request_build(actor=personas.leader_a, org=personas.community_a, year=YEAR, enqueue=False)
    env = killed.child_env(tmp_path)
    killed.kill_at(env, "dossier.build:publish:after", "dossier_build", job.pk)
    left = killed.state(env, "dossier_state", d.pk)
    assert left["served"] == first and left["whole_files"] > 30
    assert len(left["folder"]) == 2  # the old zip, served, and the new one nobody points at yet
    killed.run(env, "dossier_build", job.pk)
    after = killed.state(env, "dossier_state", d.pk)
    assert after["served"] != first and after["folder"] == [after["served"]]
