"""Every move of the map, allowed and forbidden, and who may make each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shequ.accounts.roles import Perm
from shequ.audit.models import AuditLog
from shequ.cases import services, workflow
from shequ.cases.choices import CaseKind, CaseState
from shequ.cases.models import Case, CaseExtension, CaseHistory
from shequ.cases.tests.helpers import ctype, in_state
from shequ.cases.workflow import MAP, TransitionError

REFERRAL_STATES = {CaseState.REFERRED, CaseState.RECEIVED, CaseState.REFUSED, CaseState.COMPLETED}
REFERRAL_ONLY = {a for moves in MAP.values() for a, m in moves.items() if m.kinds == workflow.REFERRAL}
ACTIONS = sorted(workflow.ACTION_LABELS)


def move_data(p, action: str) -> dict:
    today = timezone.localdate()
    return {
        "accept": {"owner": p.worker_a},
        "reassign": {"owner": p.leader_a},
        "reject": {"note": "不属于本社区管辖"},
        "send_back": {"note": "请社区先行调处"},
        "escalate": {"note": "涉及多个社区,难以化解"},
        "transfer": {"note": "属安全隐患", "to_type": ctype("hazard"), "category": "消防"},
        "resolve": {"result": "已办结", "outcome": "success", "agreement_text": "双方达成协议"},
        "evaluate": {"rating": 5, "comment": "满意"},
        "reopen": {"note": "问题没有解决"},
        "archive": {},
        "request_extension": {"note": "需要协调物业", "new_deadline": today + timedelta(days=40)},
        "approve_extension": {"note": "同意"},
        "reject_extension": {"note": "不同意延期"},
        "supervise": {"level": "red", "note": "群众反映强烈"},
        "refer": {"institution": "区残疾人康复中心"},
        "receive": {},
        "refuse": {"note": "名额已满"},
        "complete": {"feedback": "已完成辅具适配"},
    }[action]


def prepared(p, state: str, action: str) -> Case:
    """A case in ``state`` meeting what ``action`` needs, of the kind the state or action belongs to."""
    code = "referral" if state in REFERRAL_STATES or action in REFERRAL_ONLY else "dispute"
    extra = {}
    if action == "send_back":
        extra = {"escalated_from": p.community_a, "org": p.street}
    case = in_state(p, state, code=code, **extra)
    if action in {"approve_extension", "reject_extension"}:
        CaseExtension.objects.create(
            case=case, requested_by=p.worker_a, requested_at=timezone.now(),
            new_deadline=timezone.localdate() + timedelta(40), reason="需要时间",
        )  # fmt: skip
    return Case.objects.get(pk=case.pk)


def _kind(state: str, action: str) -> str:
    return CaseKind.REFERRAL if (state in REFERRAL_STATES or action in REFERRAL_ONLY) else CaseKind.DISPUTE


ALLOWED = [(s, a) for s in CaseState for a in ACTIONS if a in workflow.moves_from(s, _kind(s, a))]
FORBIDDEN = [(s, a) for s in CaseState for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_move_changes_state_and_writes_history_and_audit(personas, state, action):
    case = prepared(personas, state, action)
    move = workflow.moves_from(state, case.case_type.kind)[action]
    services.case_move(actor=personas.admin, case=case, action=action, **move_data(personas, action))
    case.refresh_from_db()
    assert case.state == (move.to or state)
    assert CaseHistory.objects.filter(case=case, action=action, from_state=state, to_state=case.state).count() == 1
    assert AuditLog.objects.filter(action=f"case.{action}", object_id=str(case.pk), success=True).count() == 1


@pytest.mark.parametrize(("state", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_forbidden_move_is_refused_in_chinese_and_changes_nothing(personas, state, action):
    case = prepared(personas, state, action)
    with pytest.raises(TransitionError) as exc:
        services.case_move(actor=personas.admin, case=case, action=action, **move_data(personas, action))
    assert "不能" in exc.value.messages[0] and CaseState(state).label in exc.value.messages[0]
    case.refresh_from_db()
    assert case.state == state
    assert not CaseHistory.objects.filter(case=case, action=action).exists()
    assert AuditLog.objects.filter(action=f"case.{action}", object_id=str(case.pk), success=False).exists()


def test_every_action_of_the_map_is_tested():
    tested = {a for _, a in ALLOWED}
    assert tested == set(workflow.ACTION_LABELS)


def test_referral_states_are_not_moves_of_other_kinds(personas):
    case = in_state(personas, CaseState.HANDLING, code="dispute")
    with pytest.raises(TransitionError):
        services.case_move(actor=personas.admin, case=case, action="refer", institution="康复中心")


def test_referral_goes_referred_refused_referred_received_completed_resolved(personas):
    p = personas
    case = in_state(p, CaseState.HANDLING, code="referral")
    for action, data in [
        ("refer", {"institution": "甲康复中心"}),
        ("refuse", {"note": "不收治"}),
        ("refer", {"institution": "乙康复中心"}),
        ("receive", {}),
        ("complete", {"feedback": "训练结束"}),
        ("resolve", {"result": "转介完成"}),
    ]:
        case = services.case_move(actor=p.worker_a, case=case, action=action, **data)
    assert case.state == CaseState.RESOLVED
    assert case.referral.institution == "乙康复中心" and case.referral.completed_on == timezone.localdate()
    assert list(CaseHistory.objects.filter(case=case).values_list("to_state", flat=True)) == [
        "registered", "referred", "refused", "referred", "received", "completed", "resolved"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (CaseState.REGISTERED, "send_back", "不是下级上报"),
        (CaseState.HANDLING, "approve_extension", "没有待审批"),
        (CaseState.HANDLING, "reject_extension", "没有待审批"),
    ],
)
def test_move_whose_condition_fails_is_refused(personas, state, action, message):
    case = in_state(personas, state)
    with pytest.raises(TransitionError, match=message):
        services.case_move(actor=personas.admin, case=case, action=action, **move_data(personas, action))


def test_second_extension_request_while_one_is_pending_is_refused(personas):
    case = in_state(personas, CaseState.HANDLING)
    data = move_data(personas, "request_extension")
    services.case_move(actor=personas.worker_a, case=case, action="request_extension", **data)
    with pytest.raises(TransitionError, match="已有待审批"):
        services.case_move(actor=personas.worker_a, case=case, action="request_extension", **data)


def test_case_at_the_top_of_the_tree_cannot_be_escalated(personas):
    case = in_state(personas, CaseState.REGISTERED, org=personas.district)
    with pytest.raises(TransitionError, match="最高一级"):
        services.case_move(actor=personas.admin, case=case, action="escalate", note="再上报")


# who may make each move: someone without the move's permission is refused (403) --------------------

LACKING = {Perm.HANDLE_CASE: "inspector", Perm.ASSIGN_CASE: "grid_a_worker", Perm.APPROVE_CASE: "worker_a"}
WHO = [(s, a) for s, a in ALLOWED]


@pytest.mark.parametrize(("state", "action"), WHO, ids=[f"{s}-{a}" for s, a in WHO])
def test_move_by_someone_without_its_permission_is_refused(personas, state, action):
    case = prepared(personas, state, action)
    move = workflow.moves_from(state, case.case_type.kind)[action]
    # send_back: a worker of 社区A has no rights at the street that owns the escalated case
    lacking = personas.worker_a if action == "send_back" else getattr(personas, LACKING[move.perm])
    assert not workflow.may(lacking, case, move)
    with pytest.raises(PermissionDenied):
        services.case_move(actor=lacking, case=case, action=action, **move_data(personas, action))
    case.refresh_from_db()
    assert case.state == state


def test_reporter_may_rate_and_reopen_but_not_archive(personas):
    p = personas
    case = in_state(p, CaseState.RESOLVED, code="opinion", reporter=p.resident)
    assert set(workflow.available(p.resident, case)) == {"evaluate", "reopen"}
    case = in_state(p, CaseState.EVALUATED, code="opinion", reporter=p.resident)
    assert workflow.available(p.resident, case) == {}


def test_area_bound_worker_cannot_handle_other_areas(personas):
    from shequ.accounts.roles import Role
    from shequ.orgs.models import Area
    from shequ.testing.factories import member

    health_only = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="health")])
    case = in_state(personas, CaseState.REGISTERED)  # a dispute: 平安建设
    with pytest.raises(PermissionDenied):
        services.case_move(actor=health_only, case=case, action="accept", owner=personas.worker_a)
