"""What an org's annual dossier holds: the list of its parts (each a declared ledger with its filters, written in
xlsx and PDF by the ledger layer), read through the actor's scope, in a fixed number of queries.

Every yearly ledger of the layer is either in the dossier (``INCLUDED``, ``PER_AREA`` or a subject ledger below)
or left out with its reason (``LEFT_OUT``); a test keeps it so, so a line of work that declares a new ledger says
where it goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shequ.accounts.roles import Perm
from shequ.ledgers.declare import Context, Ledger
from shequ.ledgers.document import build
from shequ.ledgers.registry import ledgers
from shequ.ledgers.services import file_name
from shequ.orgs.models import Area, Org
from shequ.plans import selectors as plan_selectors
from shequ.records.models import RecordPhoto
from shequ.reports.models import State as ReportState
from shequ.reports.models import Submission
from shequ.surveys.models import Survey, SurveyStatus

if TYPE_CHECKING:
    from shequ.accounts.models import User

FORMATS = ("xlsx", "pdf")
INDEX = "dossier-index"

# Folders of the archive, in the order the index lists them.
PLANS = "01-年度工作计划"
LEDGERS = "02-工作台账"
MEETINGS = "03-会议记录"
LETTERS = "04-责任书"
GROUPS = "05-组织机构"
SURVEYS = "06-问卷调查报告"
REPORTS = "07-信息报送"
ASSESSMENT = "08-年终考核"
PHOTOS = "照片"

# Ledgers of a line of work chosen by the reader (``?area=``): one per line of work the org has a plan for.
PER_AREA = ("activities", "funds")
# Ledgers of the whole year, without a subject: (code, folder).
INCLUDED = (
    ("disputes", LEDGERS),
    ("mediation", LEDGERS),
    ("hazards", LEDGERS),
    ("opinions", LEDGERS),
    ("health-forms", LEDGERS),
    ("rehab-services", LEDGERS),
    ("course-register", LEDGERS),
    ("course-attendance", LEDGERS),
    ("learning-orgs", LEDGERS),
    ("school-eight-items", LEDGERS),
    ("meeting-minutes", MEETINGS),
    ("resolutions", MEETINGS),
    ("letter-register", LETTERS),
    ("responsibility-letter", LETTERS),
    ("group-roster", GROUPS),
    ("assessment", ASSESSMENT),
)
# Ledgers of one subject, one part per subject of the year: the plans, the survey reports, the reports submitted.
SUBJECTS = ("plan", "survey-report", "report")
LEFT_OUT = {
    INDEX: "the dossier's own index",
    "audit": "the audit log is the administrators', not the community's year",
    "sensitive-views": "who viewed whose sensitive data: the audit log's, not the archive's",
    "residents": "the registry is not yearly and names every resident",
    "care-card": "one disabled person's whole file: sensitive, kept in the care pages",
    "survey-answers": "each respondent's answers: the survey report carries the results",
    "survey-form": "the blank questionnaire: the survey report carries it",
    "learner-register": "the learners' contact details: printed from the course when needed",
    "course-certificates": "certificates for the learners, not a record of the year",
}


@dataclass
class Part:
    """One ledger of the dossier, in each of its formats."""

    folder: str
    ledger: Ledger
    filters: dict[str, Any] = field(default_factory=dict)
    area: Area | None = None
    label: str = ""  # what the index calls it (the ledger's title, or its subject's)
    names: dict[str, str] = field(default_factory=dict)  # format -> path inside the archive
    rows: int | None = None
    pages: int | None = None

    def context(self, actor: User, org: Org, year: int, fmt: str, today: date) -> Context:
        ctx = Context(actor=actor, org=org, year=year, fmt=fmt, today=today, filters=dict(self.filters), area=self.area)
        if self.ledger.prepare is not None:
            self.ledger.prepare(ctx)
        return ctx


def print_skipped(part: Part) -> bool:
    """A ledger of the year with no rows is filed as its table only: a PDF of an empty table prints nothing worth
    reading and costs as much to lay out as a full one. A plan, survey report, submitted report or the assessment is
    printed whatever it holds."""
    return part.rows == 0 and part.folder not in (PLANS, SURVEYS, REPORTS, ASSESSMENT)


def _areas_of_year(actor: User, org: Org, year: int) -> list[Area]:
    """The lines of work the org has a plan for in the year (its own or its subtree's), in their order."""
    ids = set(
        plan_selectors.plans_visible(actor)
        .filter(year=year, org__in=Org.objects.subtree(org).values("pk"))
        .values_list("area_id", flat=True)
    )
    return list(Area.objects.filter(pk__in=ids).order_by("sort", "id"))


def _subject_parts(actor: User, org: Org, year: int) -> Iterator[Part]:
    plans = plan_selectors.plans_visible(actor).filter(org=org, year=year).select_related("area")
    for plan in plans.order_by("area__sort", "pk"):
        yield Part(PLANS, ledgers.get("plan"), {"plan": plan.pk}, plan.area, plan.title)
    surveys = (
        Survey.objects.visible_to(actor, Perm.EXPORT)
        .filter(org=org)
        .exclude(status=SurveyStatus.DRAFT)
        .filter(Q(closed_on__year=year) | Q(closed_on__isnull=True, opened_on__year=year))
        .select_related("area")
        .order_by("area__sort", "opened_on", "pk")
    )
    for survey in surveys:
        yield Part(SURVEYS, ledgers.get("survey-report"), {"survey": survey.pk}, survey.area, survey.title)
    subs = (
        Submission.objects.visible_to(actor, Perm.EXPORT)
        .filter(org=org, year=year)
        .exclude(state=ReportState.RETURNED)
        .select_related("form", "form__area")
        .order_by("form__sort", "form_id", "period_no")
    )
    for sub in subs:
        label = f"{sub.form.name}（{sub.period.label}）"
        yield Part(
            REPORTS, ledgers.get("report"), {"form": sub.form.code, "period": sub.period_no}, sub.form.area, label
        )


def parts(actor: User, org: Org, year: int) -> list[Part]:
    """The dossier's ledgers for ``org``'s ``year`` as ``actor`` may export them (names not yet given)."""
    out: list[Part] = []
    areas = _areas_of_year(actor, org, year)
    for area in areas:
        out += [Part(f"{LEDGERS}/{area.name}", ledgers.get(code), {"area": area.code}, area) for code in PER_AREA]
    for code, folder in INCLUDED:
        ledger = ledgers.get(code)
        if ledger is None:
            continue
        area = next((a for a in areas if a.code == ledger.area), None) if ledger.area else None
        if ledger.area and area is None:
            area = Area.objects.filter(code=ledger.area).first()
        sub = f"{folder}/{area.name}" if folder == LEDGERS and area is not None else folder
        out.append(Part(sub, ledger, {}, area))
    out += list(_subject_parts(actor, org, year))
    # By folder, and within the ledgers' folder by line of work (a stable sort keeps each line's own order).
    out.sort(
        key=lambda p: (
            p.folder.split("/")[0],
            p.area.sort if p.area is not None and p.folder.startswith(LEDGERS) else 0,
        )
    )
    return out


def name(part: Part, ctx: Context) -> str:
    """The part's path inside the archive for the format of ``ctx`` (prepared); its label from the title."""
    doc = build(part.ledger, ctx)  # rows are not read: the title and the file name only
    part.label = part.label or doc.title
    part.names[ctx.fmt] = f"{part.folder}/{file_name(part.ledger, ctx, doc)}"
    return part.names[ctx.fmt]


def named(actor: User, org: Org, year: int) -> list[Part]:
    """``parts`` with their file names, as the index lists them when it is printed on its own."""
    out = parts(actor, org, year)
    today = timezone.localdate()
    for part in out:
        for fmt in FORMATS:
            name(part, part.context(actor, org, year, fmt, today))
    return out


# --- photos ----------------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def photos(actor: User, org: Org, year: int) -> QuerySet[RecordPhoto]:
    """The year's photos of the org's subtree (the records' own year), oldest record first."""
    return (
        RecordPhoto.objects.visible_to(actor, Perm.EXPORT)
        .filter(record__org__in=Org.objects.subtree(org).values("pk"), record__year=year)
        .select_related("record", "record__area")
        .only("id", "image", "record__id", "record__date", "record__title", "record__area__name")
        .order_by("record__date", "record_id", "pk")
    )


def photo_names(rows: Iterable[RecordPhoto]) -> Iterator[tuple[RecordPhoto, str]]:
    """Each photo with its path in the archive: 照片/<条线>/<YYYY-MM>/<YYYY-MM-DD>-<主题>-<n>.jpg, n counting the
    record's photos (a second record of the same day and title continues the count)."""
    used: set[str] = set()
    seen: dict[int, int] = {}
    for photo in rows:
        rec = photo.record
        n = seen[rec.pk] = seen.get(rec.pk, 0) + 1
        title = _UNSAFE.sub("", rec.title)[:40] or "活动"
        stem = f"{PHOTOS}/{_UNSAFE.sub('', rec.area.name)}/{rec.date:%Y-%m}/{rec.date:%Y-%m-%d}-{title}"
        path = f"{stem}-{n}.jpg"
        while path in used:
            n += 1
            path = f"{stem}-{n}.jpg"
        used.add(path)
        yield photo, path


def photo_months(actor: User, org: Org, year: int) -> list[dict]:
    """How many photos each line of work filed each month: one grouped query."""
    return list(
        photos(actor, org, year)
        .order_by()
        .values("record__area__name", "record__area__sort", "record__date__month")
        .annotate(n=Count("pk"))
        .order_by("record__area__sort", "record__date__month")
    )
