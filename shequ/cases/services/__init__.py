"""Every write to cases. Each function takes the acting user, checks, changes, audits, in one transaction."""

from shequ.cases.services.handling import (
    board_hide,
    board_public_set,
    board_show,
    details_update,
    entry_add,
    reply_set,
    time_limit_clear,
    time_limit_set,
)
from shequ.cases.services.moves import case_move
from shequ.cases.services.register import case_register, case_report
from shequ.cases.services.supervision import supervision_sweep

__all__ = [
    "board_hide",
    "board_public_set",
    "board_show",
    "case_move",
    "case_register",
    "case_report",
    "details_update",
    "entry_add",
    "reply_set",
    "supervision_sweep",
    "time_limit_clear",
    "time_limit_set",
]
