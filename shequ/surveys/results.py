"""A survey's results, in a fixed number of queries whatever its size: rates by both formulas, by group,
per question, and satisfaction.

- 按题目计算 (domain-formats §1.4): correct answers ÷ (questions × respondents);
- 按人计算: respondents whose share of right answers reaches the survey's pass mark ÷ respondents;
- each with its 95% Wilson interval over the respondents; a zero denominator gives 无数据.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from shequ.core.stats import wilson
from shequ.orgs.models import Org
from shequ.surveys.entry import letter
from shequ.surveys.models import RATING_SCALE, RATING_WORDS, Answer, Channel, QuestionKind, Survey

AGE_BANDS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 69), (70, 200))
GENDERS = {"M": "男", "F": "女"}
NO_DATA = "无数据"


def pct(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) / Decimal(den) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Rate:
    """numerator ÷ denominator as a percentage, with the respondents it rests on (for the interval)."""

    label: str
    numerator: int
    denominator: int
    people: int

    @property
    def value(self) -> Decimal | None:
        return pct(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        v = self.value
        return NO_DATA if v is None else f"{v.normalize():f}%"

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        if not self.denominator or not self.people:
            return None
        p = self.numerator / self.denominator
        found = wilson(p * self.people, self.people)
        if found is None:
            return None
        q = Decimal("0.1")
        low, high = (Decimal(str(v * 100)).quantize(q, rounding=ROUND_HALF_UP) for v in found)
        return low, high

    @property
    def interval_text(self) -> str:
        i = self.interval
        return "" if i is None else f"{i[0].normalize():f}%–{i[1].normalize():f}%"


def question_rate(rows, kind: str) -> Rate:
    """按题目计算 over response rows ``(right, total)`` of one kind."""
    right = sum(r for r, t in rows if t)
    total = sum(t for _r, t in rows)
    what = "答对题数" if kind == QuestionKind.KNOWLEDGE else "符合题数"
    return Rate(f"按题目计算：{what} ÷ （题数 × 人数）", right, total, sum(1 for _r, t in rows if t))


def person_rate(rows, kind: str, pass_mark: int) -> Rate:
    """按人计算: respondents with right ÷ total ≥ pass mark."""
    answered = [(r, t) for r, t in rows if t]
    passed = sum(1 for r, t in answered if r * 100 >= pass_mark * t)
    return Rate(f"按人计算：达到合格线{pass_mark}%的人数 ÷ 调查人数", passed, len(answered), len(answered))


@dataclass
class Group:
    label: str
    n: int
    knowledge: Rate
    behaviour: Rate


@dataclass
class Option:
    letter: str
    text: str
    count: int
    share: Decimal | None
    right: bool


@dataclass
class QuestionResult:
    question: object
    answered: int
    options: list[Option] = field(default_factory=list)
    right: Rate | None = None
    mean: Decimal | None = None
    satisfied: Rate | None = None
    texts: list[str] = field(default_factory=list)
    score_sum: int = 0


@dataclass
class Results:
    survey: Survey
    n: int
    drawn: int
    refused: int
    absent: int
    knowledge: list[Rate]
    behaviour: list[Rate]
    groups: dict[str, list[Group]]
    questions: list[QuestionResult]
    channels: list[tuple[str, int]]
    satisfaction: Rate | None = None
    satisfaction_mean: Decimal | None = None

    @property
    def response_rate(self) -> Rate | None:
        if not self.drawn:
            return None
        return Rate("应答率：答卷数 ÷ 抽取人数", self.n, self.drawn, self.drawn)

    @property
    def has_knowledge(self) -> bool:
        return any(q.question.kind == QuestionKind.KNOWLEDGE for q in self.questions)

    @property
    def has_behaviour(self) -> bool:
        return any(q.question.kind == QuestionKind.BEHAVIOUR for q in self.questions)


def band(age: int | None) -> str:
    if age is None:
        return "年龄不详"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}–{high}岁" if high < 200 else f"{low}岁以上"
    return f"{AGE_BANDS[0][0]}岁以下"


def _groups(responses: list[dict], grid_names: dict[int, str]) -> dict[str, list[Group]]:
    keys = {
        "网格": lambda r: grid_names.get(r["grid_id"], "未分网格"),
        "楼栋": lambda r: r["building"] or "楼栋不详",
        "年龄段": lambda r: band(r["age"]),
        "性别": lambda r: GENDERS.get(r["gender"], "性别不详"),
    }
    out: dict[str, list[Group]] = {}
    for title, key in keys.items():
        by: dict[str, list[dict]] = defaultdict(list)
        for r in responses:
            by[key(r)].append(r)
        out[title] = [
            Group(
                label,
                len(rows),
                question_rate([(r["knowledge_right"], r["knowledge_total"]) for r in rows], QuestionKind.KNOWLEDGE),
                question_rate([(r["behaviour_right"], r["behaviour_total"]) for r in rows], QuestionKind.BEHAVIOUR),
            )
            for label, rows in sorted(by.items())
        ]
    return out


def _question_results(questions, answers_by_question) -> list[QuestionResult]:
    out = []
    for q in questions:
        answers = answers_by_question.get(q.pk, [])
        if q.kind == QuestionKind.TEXT:
            texts = [a[2] for a in answers if a[2]]
            out.append(QuestionResult(q, len(texts), texts=texts[:200]))
        elif q.kind == QuestionKind.RATING:
            ratings = [a[1] for a in answers if a[1]]
            counts = Counter(ratings)
            opts = [
                Option(str(v), RATING_WORDS[v], counts[v], pct(counts[v], len(ratings)), v >= 4) for v in RATING_SCALE
            ]
            mean = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01")) if ratings else None
            good = sum(1 for v in ratings if v >= 4)
            out.append(
                QuestionResult(
                    q,
                    len(ratings),
                    opts,
                    mean=mean,
                    satisfied=Rate("满意率（4–5分）", good, len(ratings), len(ratings)),
                    score_sum=sum(ratings),
                )
            )
        else:
            ticked = [a[0] for a in answers if a[0]]
            counts = Counter(i for choices in ticked for i in choices)
            opts = [
                Option(letter(i), text, counts[i], pct(counts[i], len(ticked)), i in q.correct)
                for i, text in enumerate(q.options)
            ]
            right = None
            if q.kind in (QuestionKind.KNOWLEDGE, QuestionKind.BEHAVIOUR):
                n_right = sum(1 for a in answers if a[3])
                right = Rate("答对/符合率", n_right, len(answers), len(answers))
            out.append(QuestionResult(q, len(ticked), opts, right=right))
    return out


def survey_results(survey: Survey) -> Results:
    """Everything the results page, the report and the indicators' links show, in four queries."""
    questions = list(survey.questions.all())
    responses = list(
        survey.responses.order_by().values(
            "pk", "grid_id", "building", "age", "gender", "channel",
            "knowledge_right", "knowledge_total", "behaviour_right", "behaviour_total",
        )
    )  # fmt: skip
    by_question: dict[int, list] = defaultdict(list)
    for qid, choices, rating, text, correct in (
        Answer.objects.filter(response__survey=survey)
        .order_by()
        .values_list("question_id", "choices", "rating", "text", "is_correct")
    ):
        by_question[qid].append((choices, rating, text, correct))
    status = Counter(survey.respondents.order_by().values_list("status", flat=True))
    grid_ids = {r["grid_id"] for r in responses if r["grid_id"]}
    grid_names = dict(Org.objects.filter(pk__in=grid_ids).values_list("pk", "name")) if grid_ids else {}
    k_rows = [(r["knowledge_right"], r["knowledge_total"]) for r in responses]
    b_rows = [(r["behaviour_right"], r["behaviour_total"]) for r in responses]
    qresults = _question_results(questions, by_question)
    ratings = [qr for qr in qresults if qr.question.kind == QuestionKind.RATING]
    sat, sat_mean = None, None
    if ratings:
        good = sum(qr.satisfied.numerator for qr in ratings)
        total = sum(qr.satisfied.denominator for qr in ratings)
        sat = Rate("满意率：评4–5分的人次 ÷ 评分人次", good, total, len(responses))
        if total:
            sat_mean = (Decimal(sum(qr.score_sum for qr in ratings)) / total).quantize(Decimal("0.01"))
    channel_names = dict(Channel.choices)
    return Results(
        survey=survey,
        n=len(responses),
        drawn=sum(status.values()),
        refused=status.get("refused", 0),
        absent=status.get("absent", 0),
        knowledge=[question_rate(k_rows, QuestionKind.KNOWLEDGE), person_rate(k_rows, "knowledge", survey.pass_mark)],
        behaviour=[question_rate(b_rows, QuestionKind.BEHAVIOUR), person_rate(b_rows, "behaviour", survey.pass_mark)],
        groups=_groups(responses, grid_names),
        questions=qresults,
        channels=[(channel_names[c], n) for c, n in Counter(r["channel"] for r in responses).most_common()],
        satisfaction=sat,
        satisfaction_mean=sat_mean,
    )
