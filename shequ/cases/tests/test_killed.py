"""kill -9 in the middle of a case move (上报, the case moves to the org above): nothing half-done (no state or org
changed without its history and audit rows, no row outside the audit chain), and the move can be made again."""

from __future__ import annotations

import pytest

from shequ.cases.tests.helpers import make_case
from shequ.testing import killed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "pause",
    [
        "cases.moves:history:before",  # the case saved at the street, no history row yet
        "cases.moves:audit:after",  # history and audit rows written, not committed
    ],
)
def test_a_case_move_killed_before_its_commit_leaves_the_case_as_it_was_and_runs_again(personas, tmp_path, pause):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    env = killed.child_env(tmp_path)
    before = killed.state(env, "case_state", case.pk)
    assert before["state"] == case.state and before["org"] == personas.community_a.pk and before["chain_ok"]

    killed.kill_at(env, pause, "case_move", personas.worker_a.pk, case.pk, "escalate")
    assert killed.state(env, "case_state", case.pk) == before

    assert "DONE" in killed.run(env, "case_move", personas.worker_a.pk, case.pk, "escalate")
    after = killed.state(env, "case_state", case.pk)
    assert after["org"] == personas.street.pk and after["version"] == before["version"] + 1
    assert (after["history"], after["audit_rows"]) == (before["history"] + 1, before["audit_rows"] + 1)
    assert after["chain_ok"]


def test_a_case_move_killed_while_its_audit_row_is_sealed_is_whole_and_not_made_twice(personas, tmp_path):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    env = killed.child_env(tmp_path)
    before = killed.state(env, "case_state", case.pk)
    killed.kill_at(env, "audit.chain:chain_link:after", "case_move", personas.worker_a.pk, case.pk, "escalate")
    whole = killed.state(env, "case_state", case.pk)
    assert whole["org"] == personas.street.pk and whole["chain_ok"]
    assert (whole["history"], whole["audit_rows"]) == (before["history"] + 1, before["audit_rows"] + 1)
    assert "REFUSED" in killed.run(env, "case_move", personas.worker_a.pk, case.pk, "escalate")
    refused = killed.state(env, "case_state", case.pk)
    assert {k: refused[k] for k in ("state", "org", "version", "history")} == {
        k: whole[k] for k in ("state", "org", "version", "history")
    }
