"""The one map of allowed moves: state → action → (next state, who may do it).

Every write that changes a case's state goes through :func:`shequ.cases.services.case_move`, which
reads this map and nothing else to decide whether the move is allowed. "Who" is a permission the
actor must hold on the case's org in the case's area (``perm``) and/or being the case's reporter
(``reporter``: the resident or supervisor who raised it). A move may be limited to some kinds of
case (the 转诊转介 states) and may need a condition (``needs``) that the case must meet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases.choices import CaseKind, CaseState

S = CaseState
HANDLE, ASSIGN, APPROVE = Perm.HANDLE_CASE, Perm.ASSIGN_CASE, Perm.APPROVE_CASE
REFERRAL = frozenset({CaseKind.REFERRAL})


@dataclass(frozen=True)
class Move:
    to: str | None  # None: the state does not change (改派, 延期, 督办)
    label: str
    perm: str | None  # permission on the case's org, in the case's area
    reporter: bool = False  # the case's reporter may also do it
    kinds: frozenset[str] | None = None  # only for cases of these kinds
    needs: str = ""  # a condition from NEEDS


def _moves(**moves: Move) -> dict[str, Move]:
    return moves


_EXTENSIONS = _moves(
    request_extension=Move(None, "申请延期", HANDLE, needs="no_pending_extension"),
    approve_extension=Move(None, "批准延期", APPROVE, needs="pending_extension"),
    reject_extension=Move(None, "驳回延期", APPROVE, needs="pending_extension"),
)
_SUPERVISE = _moves(supervise=Move(None, "督办", APPROVE))
_ESCALATE = _moves(escalate=Move(S.REGISTERED, "上报上级", HANDLE, needs="has_parent"))
# 转办: to another case type or line of work at the same org; it waits there to be accepted again.
_TRANSFER = _moves(transfer=Move(S.REGISTERED, "转办(改类型或条线)", HANDLE))

MAP: dict[str, dict[str, Move]] = {
    S.REGISTERED: _moves(
        accept=Move(S.HANDLING, "受理分派", ASSIGN),
        reject=Move(S.RETURNED, "退回（不予受理）", ASSIGN),
        send_back=Move(S.REGISTERED, "退回下级", ASSIGN, needs="escalated"),
        **_TRANSFER,
        **_ESCALATE,
        **_SUPERVISE,
    ),
    S.HANDLING: _moves(
        reassign=Move(None, "改派", ASSIGN),
        refer=Move(S.REFERRED, "转介", HANDLE, kinds=REFERRAL),
        resolve=Move(S.RESOLVED, "办结", HANDLE),
        **_TRANSFER,
        **_ESCALATE,
        **_EXTENSIONS,
        **_SUPERVISE,
    ),
    S.REFERRED: _moves(
        receive=Move(S.RECEIVED, "对方已接收", HANDLE, kinds=REFERRAL),
        refuse=Move(S.REFUSED, "对方拒绝", HANDLE, kinds=REFERRAL),
        **_EXTENSIONS,
        **_SUPERVISE,
    ),
    S.RECEIVED: _moves(
        complete=Move(S.COMPLETED, "服务完成", HANDLE, kinds=REFERRAL),
        **_EXTENSIONS,
        **_SUPERVISE,
    ),
    S.REFUSED: _moves(
        refer=Move(S.REFERRED, "重新转介", HANDLE, kinds=REFERRAL),
        resolve=Move(S.RESOLVED, "办结", HANDLE),
        **_SUPERVISE,
    ),
    S.COMPLETED: _moves(resolve=Move(S.RESOLVED, "办结", HANDLE), **_SUPERVISE),
    S.RESOLVED: _moves(
        evaluate=Move(S.EVALUATED, "回访评价", HANDLE, reporter=True),
        reopen=Move(S.HANDLING, "不满意重办", HANDLE, reporter=True),
    ),
    S.EVALUATED: _moves(
        archive=Move(S.ARCHIVED, "归档", ASSIGN),
        reopen=Move(S.HANDLING, "重新办理", APPROVE),
    ),
    S.RETURNED: _moves(archive=Move(S.ARCHIVED, "归档", ASSIGN)),
    S.ARCHIVED: {},
}

# Every action's name in Chinese (for messages about actions the current state does not have).
ACTION_LABELS: dict[str, str] = {a: m.label for moves in MAP.values() for a, m in moves.items()}

# States in which handling entries (办理记录) may be added.
ENTRY_STATES = frozenset({S.HANDLING, S.REFERRED, S.RECEIVED, S.REFUSED, S.COMPLETED})
# States in which a public reply may be written or corrected.
REPLY_STATES = ENTRY_STATES | {S.RESOLVED, S.EVALUATED}

NEEDS: dict[str, tuple[Callable, str]] = {
    "escalated": (lambda case: case.escalated_from_id is not None, "该事项不是下级上报的，无法退回下级。"),
    "has_parent": (lambda case: case.org.parent_id is not None, "已是最高一级组织，无法再上报。"),
    "pending_extension": (lambda case: case.pending_extension is not None, "没有待审批的延期申请。"),
    "no_pending_extension": (lambda case: case.pending_extension is None, "已有待审批的延期申请。"),
}


class TransitionError(ValidationError):
    """A move the map does not allow; its message is for people (Chinese)."""

    def __init__(self, case, action: str, reason: str = ""):
        state = CaseState(case.state).label
        label = ACTION_LABELS.get(action, action)
        message = reason or f"事项当前为“{state}”,不能“{label}”。"
        super().__init__(message, code="forbidden_move")
        self.action = action
        self.state = case.state


def moves_from(state: str, kind: str) -> dict[str, Move]:
    """The moves the map allows from ``state`` for a case of ``kind`` (conditions not yet checked)."""
    return {a: m for a, m in MAP.get(state, {}).items() if m.kinds is None or kind in m.kinds}


def move_for(case, action: str) -> Move:
    """The move for ``action`` from the case's state, or TransitionError (also when a condition fails)."""
    move = moves_from(case.state, case.case_type.kind).get(action)
    if move is None:
        raise TransitionError(case, action)
    if move.needs:
        test, message = NEEDS[move.needs]
        if not test(case):
            raise TransitionError(case, action, message)
    return move


def is_reporter(user, case) -> bool:
    return bool(user is not None and user.is_authenticated and case.reporter_id and case.reporter_id == user.pk)


def may(user, case, move: Move) -> bool:
    """Whether ``user`` is one of those who may make ``move`` on ``case``."""
    if move.reporter and is_reporter(user, case):
        return True
    return move.perm is not None and access.can(user, case.org, move.perm, case.area_id)


def check_may(user, case, move: Move) -> None:
    if not may(user, case, move):
        who = "反映人或" if move.reporter else ""
        perm = Perm(move.perm).label if move.perm else ""
        raise access.PermissionDenied(f"只有{who}在“{case.org.name}”有{perm}权限的人员可以“{move.label}”。")


def available(user, case) -> dict[str, Move]:
    """The moves ``user`` may make on ``case`` now (map, kind, conditions and who), for the action forms."""
    out = {}
    for action, move in moves_from(case.state, case.case_type.kind).items():
        if move.needs and not NEEDS[move.needs][0](case):
            continue
        if may(user, case, move):
            out[action] = move
    return out
