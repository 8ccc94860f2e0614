"""The rubric's arithmetic, pinned: full points when 达标, deductions per missing occurrence and per point below
the threshold, the floor, and vetoes that zero or cap a line or the whole result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from shequ.assessment.scoring import computed_score, line_result, target_score, total_result
from shequ.plans.compliance import Cell, Result

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


def _cell(label, state, done=None, expected=None):
    return Cell(label, date(2026, 1, 1), date(2026, 1, 31), expected, done, state)


def _result(periods, state, done=None, expected=None):
    return Result(target=None, year=2026, periods=periods, total=Cell("全年", None, None, expected, done, state))


def _months(fail=(), running=()):
    return [_cell(f"{m}月", "fail" if m in fail else "warn" if m in running else "ok", 1, 1) for m in range(1, 13)]


MONTHLY = {"code": "board", "label": "宣传栏每月更换", "points": 4, "per_missing": 0.5, "source": {"target": "b"}}


def test_a_target_item_costs_its_deduction_for_each_period_that_ended_short():
    assert target_score(MONTHLY, _result(_months(), "ok")) == (D(4), "达标")
    # December still running is no deduction yet; March and July ended without a change.
    assert target_score(MONTHLY, _result(_months(fail=(3, 7), running=(12,)), "warn")) == (
        D(3),
        "3月、7月未达标（2期），扣1分",
    )
    nine_short = _result(_months(fail=range(1, 10)), "fail")
    assert target_score(MONTHLY, nine_short)[0] == D(0)  # 4.5 lost of 4: the floor
    assert target_score({**MONTHLY, "floor": 1}, nine_short)[0] == D(1)
    assert target_score(MONTHLY, nine_short)[1].startswith("1月、2月、3月、4月、5月、6月等未达标（9期）")


def test_a_target_judged_on_the_year_alone_costs_per_occurrence_short_or_once():
    drill = {"code": "drill", "label": "演练", "points": 3, "per_missing": 3, "source": {"target": "d"}}
    assert target_score(drill, _result([_cell("全年", "fail")], "fail", 0, 1)) == (D(0), "少1次，扣3分")
    assert target_score(drill, _result([_cell("全年", "progress")], "progress", 0, 1)) == (
        D(3),
        "进行中，尚无逾期未达标",
    )
    deadline = _result([_cell("5月31日前", "fail")], "fail", "未完成", "5月31日前完成")
    assert target_score(drill, deadline) == (D(0), "未达标（未完成），扣3分")
    assert target_score(drill, None) == (D(0), "本年计划中无此指标")
