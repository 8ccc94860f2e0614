"""The rubric's arithmetic, pinned: full points when 达标, deductions per missing occurrence and per point below
the threshold, the floor, and vetoes that zero or cap a line or the whole result."""

from __future__ import annotations

from decimal import Decimal as D

from shequ.assessment.scoring import computed_score, line_result, total_result

BOARD = {"code": "board", "label": "宣传栏", "points": 4, "expect": 12, "per_missing": 0.5, "floor": 0}
RATE = {"code": "reply", "label": "答复率", "points": 4, "expect": 95, "per_point": 0.5, "floor": 1}
JUDGED = {"code": "archive", "label": "资料", "points": 5, "judged": True}


def test_full_points_when_the_target_is_reached_or_passed():
    assert computed_score(BOARD, D(12))[0] == D(4) and computed_score(BOARD, D(15))[0] == D(4)


def test_a_deduction_per_missing_occurrence_down_to_the_floor():
    assert computed_score(BOARD, D(9)) == (D("2.5"), "9，少3次，扣1.5分")
    assert computed_score(BOARD, D(0))[0] == D(0)  # 12 missing × 0.5 = 6 > 4: the floor, not −2
    assert computed_score({**BOARD, "floor": 1}, D(2))[0] == D(1)


def test_a_deduction_per_point_below_a_rate_threshold_with_its_floor():
    assert computed_score(RATE, D("92.5"))[0] == D("2.8")  # 2.5 points below × 0.5 = 1.25 → 2.75 → 2.8
    assert computed_score(RATE, D(80))[0] == D(1)  # 15 × 0.5 = 7.5: the floor of 1
    assert computed_score(RATE, None) == (D(1), "无数据")


def _line(vetoes=None, **scores):
    items = [BOARD, RATE, JUDGED, *(vetoes or [])]
    triggered = {v["code"]: [("事件", "/x")] for v in vetoes or []}
    return items, line_result(items, {k: D(v) for k, v in scores.items()}, triggered)


def test_a_line_adds_up_its_items_and_counts_unscored_items_as_zero():
    _items, r = _line(board="4", reply="3")
    assert (r.points, r.raw, r.score, r.vetoes) == (D(13), D(7), D(7), [])


def test_vetoes_zero_or_cap_the_line_or_the_whole_result():
    zero_line = {"code": "cult", "label": "邪教", "veto": {"cases": ["cult_incident"]}, "effect": "zero_line"}
    cap_line = {"code": "petition", "label": "上访", "veto": {"cases": ["x"]}, "effect": "cap_line", "cap": 5}
    zero_all = {"code": "major", "label": "重大事故", "veto": {"cases": ["y"]}, "effect": "zero_all"}
    cap_all = {"code": "c", "label": "限分", "veto": {"cases": ["z"]}, "effect": "cap_all", "cap": 10}
    clean = _line(board="4", reply="4", archive="5")
    zeroed = _line([zero_line], board="4", reply="4", archive="5")
    capped = _line([cap_line], board="4", reply="4", archive="5")
    assert zeroed[1].score == D(0) and zeroed[1].raw == D(13) and zeroed[1].vetoes[0].effect_text == "本条线得0分"
    assert capped[1].score == D(5) and capped[1].vetoes[0].effect_text == "本条线最高5分"
    assert total_result([clean, capped]) == (D(18), D(18), capped[1].vetoes)
    whole = _line([zero_all], board="4")
    raw, total, hits = total_result([clean, whole])
    assert (raw, total) == (D(17), D(0)) and hits[0].effect_text == "考核总分为0"
    raw, total, _hits = total_result([clean, _line([cap_all], board="4")])
    assert (raw, total) == (D(17), D(10))
