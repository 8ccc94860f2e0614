"""kill -9 in the middle of a year close: nothing half-done (no closure without its audit row, no row outside the
audit chain), and the close can be run again."""

from __future__ import annotations

import pytest

from shequ.testing import killed

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2025


@pytest.mark.parametrize(
    "pause",
    [
        "records.services:audit:before",  # the closure row written, its audit row not yet
        "records.services:audit:after",  # both written, not committed
    ],
)
def test_a_year_close_killed_before_its_commit_leaves_nothing_and_runs_again(personas, tmp_path, pause):
    env = killed.child_env(tmp_path)
    args = (personas.leader_a.pk, personas.community_a.pk, YEAR)
    killed.kill_at(env, pause, "year_close", *args)
    assert killed.state(env, "year_state", personas.community_a.pk, YEAR) == {
        "closures": 0,
        "audit_rows": 0,
        "chain_ok": True,
    }
    assert "DONE" in killed.run(env, "year_close", *args)
    assert killed.state(env, "year_state", personas.community_a.pk, YEAR) == {
        "closures": 1,
        "audit_rows": 1,
        "chain_ok": True,
    }


def test_a_year_close_killed_while_its_audit_row_is_sealed_is_whole_and_refused_again(personas, tmp_path):
    env = killed.child_env(tmp_path)
    args = (personas.leader_a.pk, personas.community_a.pk, YEAR)
    killed.kill_at(env, "audit.chain:chain_link:after", "year_close", *args)  # committed, chain not yet
    whole = {"closures": 1, "audit_rows": 1, "chain_ok": True}  # the next seal takes the row into the chain
    assert killed.state(env, "year_state", personas.community_a.pk, YEAR) == whole
    assert "REFUSED" in killed.run(env, "year_close", *args)  # run again: already closed, said in Chinese
    assert killed.state(env, "year_state", personas.community_a.pk, YEAR) == whole
