"""Cases as a noun of the indicator catalogue, and the reply rate of residents' opinions (答复率).

A case counts for the org where it was registered (``origin_org``): escalating it does not move it out of
the community's figures. It is filed in the year of its registration date.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateField, ExpressionWrapper, F, Q
from django.urls import reverse

from shequ.cases.models import Case
from shequ.core.indicators import Condition, Indicator, Measure, Noun, Period, RowColumn

# A case never accepted is due for an answer once its acceptance limit has passed (民情民意: 48 hours).
UNACCEPTED_DUE_DAYS = 2


def answered_q(_value, period: Period) -> Q:
    """Answered (a reply written, or the case closed) by the period's ``as_of`` day."""
    day = period.as_of
    return Q(public_reply_at__date__lte=day) | Q(resolved_at__date__lte=day)


def answered_in_time_q(_value, period: Period) -> Q:
    """Answered by its handling deadline (and by ``as_of``)."""
    day = period.as_of
    return Q(deadline__isnull=False) & (
        (Q(public_reply_at__date__lte=F("deadline")) & Q(public_reply_at__date__lte=day))
        | (Q(resolved_at__date__lte=F("deadline")) & Q(resolved_at__date__lte=day))
    )


def due_q(value, period: Period) -> Q:
    """Due for an answer by ``as_of``: answered, past its deadline, or never accepted within the limit.
    Cases still inside their time limit and not yet answered are not counted yet."""
    day = period.as_of
    return (
        answered_q(value, period)
        | Q(deadline__lt=day)
        | Q(deadline__isnull=True, registered_on__lte=day - timedelta(days=UNACCEPTED_DUE_DAYS))
    )


# 残疾儿童早期报告: reported (受理) within 48 hours and screened/referred within 15 days of that (the type's
# default limits): a child found is due to have been referred 17 days after.
EARLY_REFER_DAYS = 17


def referred_in_time_q(_value, period: Period) -> Q:
    limit = ExpressionWrapper(F("registered_on") + timedelta(days=EARLY_REFER_DAYS), output_field=DateField())
    return Q(referral__referred_on__lte=period.as_of) & Q(referral__referred_on__lte=limit)


def referral_due_q(_value, period: Period) -> Q:
    day = period.as_of
    return Q(referral__referred_on__lte=day) | Q(registered_on__lte=day - timedelta(days=EARLY_REFER_DAYS))


CASES = Noun(
    code="cases",
    name="事项",
    model=Case,
    org="origin_org",
    date="registered_on",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "types": Condition("事项类型", lambda v, _p: Q(case_type__code__in=list(v)), lambda v: "类型：" + "、".join(v)),
        "answered": Condition("已答复或办结", answered_q),
        "answered_in_time": Condition("在办理期限内答复或办结", answered_in_time_q),
        "due": Condition("已到答复期限或已答复", due_q),
        "referred_in_time": Condition(f"发现后{EARLY_REFER_DAYS}天内已转介", referred_in_time_q),
        "referral_due": Condition(f"已转介或发现已满{EARLY_REFER_DAYS}天", referral_due_q),
    },
    columns=(
        RowColumn("编号", lambda c: c.code),
        RowColumn("登记日期", lambda c: c.registered_on),
        RowColumn("标题", lambda c: c.title),
        RowColumn("办理期限", lambda c: c.deadline or ""),
        RowColumn("答复时间", lambda c: c.public_reply_at or c.resolved_at or ""),
        RowColumn("状态", lambda c: c.get_state_display()),
    ),
    related=("case_type", "origin_org"),
    url=lambda c: reverse("cases:detail", args=[c.pk]),
)

NOUNS = (CASES,)

OPINIONS = {"types": ["opinion"]}
EARLY = {"types": ["early_child"]}

INDICATORS = (
    Indicator(
        code="opinion_reply_rate",
        name="居民意见建议答复率",
        area="selfgov",
        numerator=Measure("cases", "按时答复的民情民意事项", {**OPINIONS, "answered_in_time": True}),
        denominator=Measure("cases", "已到答复期限或已答复的民情民意事项", {**OPINIONS, "due": True}),
        needs=("民情民意事项的登记、受理（办理期限）和答复/办结",),
        note="在办理期限内答复或办结的，计为按时答复；尚在期限内且未答复的事项暂不计入。",
    ),
    Indicator(
        code="disability_early_child_referral",
        name="疑似残疾儿童及时转介率",
        area="disability",
        numerator=Measure("cases", "按时转介的残疾儿童早期报告", {**EARLY, "referred_in_time": True}),
        denominator=Measure("cases", "已到转介期限或已转介的残疾儿童早期报告", {**EARLY, "referral_due": True}),
        needs=("残疾儿童早期报告事项（发现、报告、转介日期）",),
        note=f"0–6岁疑似残疾儿童发现后{EARLY_REFER_DAYS}天内（报告48小时＋筛查转介15天）转介到评估或康复机构的，计为及时转介。",
    ),
)
