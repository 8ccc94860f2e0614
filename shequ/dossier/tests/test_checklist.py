"""The completeness checklist: what is missing from 社区A's year, each gap linked to where it is put right."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.dossier import checklist
from shequ.dossier.tests.helpers import YEAR, a_year, boards, meeting_without_minutes
from shequ.letters.tests.helpers import street_letters

pytestmark = pytest.mark.django_db
TODAY = date(YEAR + 1, 1, 20)


def _texts(gaps, kind):
    return [g.text for g in gaps if g.kind == kind]


def test_a_month_without_a_board_record_is_a_gap_until_it_is_recorded(personas):
    a_year(personas)
    gaps = checklist.gaps(personas.leader_a, personas.community_a, YEAR, today=TODAY)
    targets = _texts(gaps, "target")
    assert targets == ["每月更换健康教育宣传栏：3月应1次，实0次"]
    assert next(g for g in gaps if g.kind == "target").url.startswith("/plans/targets/")
    boards(personas.leader_a, personas.community_a, [3])
    gaps = checklist.gaps(personas.leader_a, personas.community_a, YEAR, today=TODAY)
    assert _texts(gaps, "target") == []


def test_a_meeting_without_minutes_links_to_the_meeting(personas):
    m = meeting_without_minutes(personas.leader_a, personas.community_a)
    gaps = [g for g in checklist.gaps(personas.leader_a, personas.community_a, YEAR, today=TODAY)
            if g.kind == "minutes"]  # fmt: skip
    assert [g.url for g in gaps] == [reverse("groups:meeting", args=[m.pk])]
    assert "没有会议记录" in gaps[0].text


def test_an_unsigned_letter_and_owed_reports_and_the_unfinished_assessment_are_gaps(personas):
    street_letters(personas, on=date(YEAR, 2, 1))
    gaps = checklist.gaps(personas.leader_a, personas.community_a, YEAR, today=TODAY)
    letters = [g for g in gaps if g.kind == "letter"]
    assert len(letters) == 1 and "尚未签订" in letters[0].text  # 社区A's; 社区B's is not 社区A's gap
    reports = _texts(gaps, "report")
    assert any(t.startswith("矛盾纠纷排查调处情况月报表") and "缺报" in t for t in reports)
    assert _texts(gaps, "assessment") == [f"{YEAR}年度考核尚未发起"]


def test_another_communitys_gaps_are_not_listed(personas):
    meeting_without_minutes(personas.worker_b, personas.community_b)
    gaps = checklist.gaps(personas.supervisor, personas.community_a, YEAR, today=TODAY)
    assert _texts(gaps, "minutes") == []
