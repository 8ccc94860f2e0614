"""Helpers for the letters' tests: a school under the street with its safety officer, a drawn signature."""

from __future__ import annotations

import base64
import io
from datetime import date

from PIL import Image, ImageDraw

from shequ.accounts.roles import Role
from shequ.letters import services
from shequ.letters.models import LetterKind
from shequ.orgs.models import OrgKind, UnitType
from shequ.testing.factories import OrgFactory, member


def kind(code: str) -> LetterKind:
    return LetterKind.objects.select_related("area").get(code=code)


def school(personas):
    org = OrgFactory(name="中心小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=personas.street)
    officer = member(org, Role.WORKER, username="p_school", name="学校安全专干")
    return org, officer


def drawn(blank: bool = False) -> str:
    img = Image.new("RGB", (300, 100), "white")
    if not blank:
        ImageDraw.Draw(img).line([(20, 60), (80, 20), (140, 70), (220, 30)], fill="black", width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def street_letters(personas, on: date = date(2026, 2, 1)):
    """The street's 平安建设目标责任书 to 社区A and 社区B (the district's to the street above them)."""
    k = kind("safety-goals")
    top = services.issue(actor=personas.admin, kind=k, year=on.year, issuer=personas.district,
                         orgs=[personas.street], issued_on=on, due_on=date(on.year, 2, 28))[0]  # fmt: skip
    below = services.issue(actor=personas.supervisor, kind=k, year=on.year, issuer=personas.street, parent=top,
                           orgs=[personas.community_a, personas.community_b], issued_on=on,
                           due_on=date(on.year, 2, 28))  # fmt: skip
    return top, below
