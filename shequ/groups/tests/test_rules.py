"""Quorum and majority are data on the group kind, counted in whole numbers."""

from __future__ import annotations

import pytest

from shequ.groups.models import Base, GroupKind


def kind(**kw) -> GroupKind:
    return GroupKind(code="k", name="领导小组", roles=["组长"], **kw)


@pytest.mark.parametrize(
    ("present", "expected", "quorate"),
    [(4, 7, True), (3, 7, False), (3, 6, False), (4, 6, True), (1, 1, True), (0, 0, False)],
)
def test_more_than_half_of_members_make_a_quorum(present, expected, quorate):
    assert kind().quorate(present, expected) is quorate


@pytest.mark.parametrize(("present", "expected", "quorate"), [(6, 9, True), (5, 9, False), (2, 3, True), (4, 7, False)])
def test_two_thirds_at_least_make_the_councils_quorum(present, expected, quorate):
    council = kind(quorum_num=2, quorum_den=3, quorum_strict=False)
    assert council.quorate(present, expected) is quorate


@pytest.mark.parametrize(("votes_for", "present", "passed"), [(3, 5, True), (2, 5, False), (3, 6, False), (4, 6, True)])
def test_a_resolution_passes_with_more_than_half_of_those_present(votes_for, present, passed):
    assert kind().passes(votes_for, present, expected=9) is passed


def test_a_majority_of_all_members_ignores_who_stayed_away():
    council = kind(pass_base=Base.MEMBERS)
    assert council.passes(5, present=6, expected=9) is True
    assert council.passes(4, present=6, expected=9) is False  # 4 of 6 present, but not more than half of 9


def test_the_rules_read_in_chinese():
    assert kind().quorum_text == "超过半数成员到会"
    assert kind().pass_text == "到会成员超过半数赞成"
    council = kind(quorum_num=2, quorum_den=3, quorum_strict=False, pass_base=Base.MEMBERS)
    assert council.quorum_text == "三分之二以上成员到会"
    assert council.pass_text == "全体成员超过半数赞成"
