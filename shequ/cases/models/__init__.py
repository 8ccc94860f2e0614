"""Cases (事项): one lifecycle for disputes, hazards, opinions, supervisors' reports, referrals, accidents."""

from shequ.cases.models.case import (
    Case,
    CaseAttachment,
    CaseEntry,
    CaseExtension,
    CaseHistory,
    CaseParty,
    CaseTimeLimit,
    CaseType,
    ExtensionState,
)
from shequ.cases.models.details import AccidentDetail, DisputeDetail, HazardDetail, ReferralDetail

__all__ = [
    "AccidentDetail",
    "Case",
    "CaseAttachment",
    "CaseEntry",
    "CaseExtension",
    "CaseHistory",
    "CaseParty",
    "CaseTimeLimit",
    "CaseType",
    "DisputeDetail",
    "ExtensionState",
    "HazardDetail",
    "ReferralDetail",
]
