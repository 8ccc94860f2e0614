"""What extraction produces: a draft plan of targets, each tied to the span of text it came from.

Plain data (dataclasses that turn into JSON and back), so that a draft can be kept between requests and
nothing is written to the database until the worker adopts it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

# Extraction kinds (finer than the plan's target kinds) and the target kind each becomes.
KIND_TO_TARGET = {
    "count": "count",
    "rate": "rate",
    "range": "rate",
    "per_head": "rate",
    "change": "change",
    "deadline": "deadline",
    "group": "deadline",
    "veto": "veto",
}
KIND_LABELS = {
    "count": "次数",
    "rate": "比率/数值",
    "range": "范围",
    "per_head": "人均数额",
    "change": "同比变化",
    "deadline": "完成时限",
    "group": "成立组织",
    "veto": "一票否决",
}


@dataclass
class Atom:
    """One measurable requirement, the unit the bench scores: a count per period, a rate, a deadline …"""

    kind: str
    comparison: str = ""  # ">=", "<=", "between", "+", "-", "" (deadlines, vetoes, groups)
    value: str = ""  # decimal as text, "" when none
    max_value: str = ""
    unit: str = ""
    period: str = ""  # plans.periods.PeriodKind value, "day", or ""
    months: list[int] = field(default_factory=list)
    deadline: str = ""  # "MM-DD"

    def key(self) -> tuple:
        return (
            self.kind,
            self.comparison,
            self.value,
            self.max_value,
            self.unit,
            self.period,
            tuple(self.months),
            self.deadline,
        )


@dataclass
class Match:
    """The activity type a target counts (``area/code``) or the indicator it reads, with a confidence 0–1."""

    code: str = ""
    label: str = ""
    confidence: float = 0.0


@dataclass
class Responsibility:
    lead: str = ""  # 牵头单位 / 责任单位
    partners: str = ""  # 配合单位
    owner: str = ""  # 责任人
    leader: str = ""  # 分管领导
    due: str = ""  # 完成时限 as "MM-DD"

    def any(self) -> bool:
        return any((self.lead, self.partners, self.owner, self.leader, self.due))


@dataclass
class DraftTarget:
    """A target as extracted: the fields of a plan target plus where it came from and what it matched."""

    id: str
    kind: str  # extraction kind (KIND_TO_TARGET keys)
    title: str
    start: int  # span of the source sentence in the document
    end: int
    quote_start: int  # the part of the sentence that states the number (for highlighting)
    quote_end: int
    basis: str
    comparison: str = ""
    value: str = ""
    max_value: str = ""
    unit: str = ""
    period: str = ""
    months: list[int] = field(default_factory=list)
    min_per_year: str = ""  # a count that gives a yearly total as well as a per-period figure
    deadline: str = ""
    section: str = ""
    match: Match = field(default_factory=Match)
    responsibility: Responsibility = field(default_factory=Responsibility)
    note: str = ""

    @property
    def target_kind(self) -> str:
        return KIND_TO_TARGET[self.kind]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def atoms(self) -> list[Atom]:
        """The requirements this target states (a monthly count with a yearly total states two)."""
        base = Atom(
            kind=self.kind,
            comparison=self.comparison,
            value=self.value,
            max_value=self.max_value,
            unit=self.unit,
            period=self.period,
            months=list(self.months),
            deadline=self.deadline,
        )
        out = [base]
        if self.kind == "count" and self.min_per_year:
            if self.period == "year" or not self.value:
                base.value, base.period = self.min_per_year, "year"
            else:
                out.append(Atom(kind="count", comparison=">=", value=self.min_per_year, unit=self.unit, period="year"))
        return out

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DraftTarget:
        data = dict(data)
        data["match"] = Match(**data.get("match", {}))
        data["responsibility"] = Responsibility(**data.get("responsibility", {}))
        return cls(**data)


@dataclass
class Obligation:
    """A sentence that reads like a duty but states no number: it can be given one, or kept as a task."""

    id: str
    text: str
    start: int
    end: int
    section: str = ""
    responsibility: Responsibility = field(default_factory=Responsibility)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Obligation:
        data = dict(data)
        data["responsibility"] = Responsibility(**data.get("responsibility", {}))
        return cls(**data)


@dataclass
class Draft:
    title: str
    area: str  # area code recognised, "" when unsure
    area_confidence: float
    sections: list[dict]
    targets: list[DraftTarget]
    obligations: list[Obligation]

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "area": self.area,
            "area_confidence": self.area_confidence,
            "sections": self.sections,
            "targets": [t.to_dict() for t in self.targets],
            "obligations": [o.to_dict() for o in self.obligations],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        return cls(
            title=data["title"],
            area=data["area"],
            area_confidence=data["area_confidence"],
            sections=data["sections"],
            targets=[DraftTarget.from_dict(t) for t in data["targets"]],
            obligations=[Obligation.from_dict(o) for o in data["obligations"]],
        )


def dec(text: str) -> Decimal | None:
    return Decimal(text) if text else None
