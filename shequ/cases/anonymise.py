"""Copies of a resident's details kept on cases, cleared when the registry anonymises the resident (see
``shequ.residents.retention``): the reporter's name and phone and a party's name, phone and address copied from the
registry person, and the name of a person referred. The case itself, its history and its counts stay."""

from __future__ import annotations

from shequ.cases.models import Case, CaseParty, ReferralDetail
from shequ.core import phones
from shequ.residents.retention import ANONYMOUS


def clear_person_copies(person_ids: list[int]) -> None:
    """Blank what cases copied from these (now anonymised) registry persons; three updates."""
    Case.objects.filter(reporter_person_id__in=person_ids).update(
        reporter_name=ANONYMOUS, **phones.empty("reporter_phone")
    )
    CaseParty.objects.filter(person_id__in=person_ids).update(name=ANONYMOUS, address="", **phones.empty("phone"))
    ReferralDetail.objects.filter(person_id__in=person_ids).update(person_name=ANONYMOUS)
