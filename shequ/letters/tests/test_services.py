from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.letters import selectors, services
from shequ.letters.models import Letter, SignedBy
from shequ.letters.tests.helpers import drawn, kind, school, street_letters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march():
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def test_org_letters_go_only_to_the_issuers_own_children_and_once_a_year(personas):
    k = kind("safety-goals")
    with pytest.raises(ValidationError, match="只能与“和平街道”的下级单位签订"):
        services.issue(actor=personas.supervisor, kind=k, year=2026, issuer=personas.street,
                       orgs=[personas.community_c], issued_on=date(2026, 2, 1), due_on=date(2026, 2, 28))  # fmt: skip
    top, below = street_letters(personas)
    assert [x.holder_name for x in below] == ["社区A", "社区B"] and {x.level for x in below} == {2}
    assert all(x.parent == top and x.org == x.holder_org for x in below)
    with pytest.raises(ValidationError, match="社区A已签有2026年平安建设目标责任书"):
        services.issue(actor=personas.supervisor, kind=k, year=2026, issuer=personas.street, parent=top,
                       orgs=[personas.community_a], issued_on=date(2026, 3, 1), due_on=date(2026, 3, 9))  # fmt: skip


def test_a_community_cannot_issue_the_streets_letters(personas):
    k = kind("safety-goals")
    with pytest.raises(PermissionDenied):
        services.issue(actor=personas.worker_a, kind=k, year=2026, issuer=personas.street,
                       orgs=[personas.community_b], issued_on=date(2026, 2, 1), due_on=date(2026, 2, 28))  # fmt: skip


def test_school_letters_go_down_level_by_level_with_the_roles_of_the_kind(personas):
    org, officer = school(personas)
    k = kind("school-safety")
    grades = services.issue(actor=officer, kind=k, year=2026, issuer=org, issued_on=date(2026, 2, 20),
                            due_on=date(2026, 3, 1), people=[("王丽", "三年级"), ("陈建国", "四年级")])  # fmt: skip
    assert [x.holder_role for x in grades] == ["年级组长", "年级组长"]
    heads = services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=grades[0], issued_on=date(2026, 2, 21),
                           due_on=date(2026, 3, 1), people=[("赵敏", "三年级1班")])  # fmt: skip
    teachers = services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=heads[0],
                              issued_on=date(2026, 2, 22), due_on=date(2026, 3, 1),
                              people=[("何静", "三年级1班（语文）")])  # fmt: skip
    assert (heads[0].holder_role, heads[0].level, teachers[0].holder_role, teachers[0].level) == (
        "班主任",
        2,
        "任课教师",
        3,
    )
    assert services.issuer_of_next(teachers[0]) is None
    with pytest.raises(ValidationError, match="只签到任课教师一级"):
        services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=teachers[0], issued_on=date(2026, 2, 22),
                       due_on=date(2026, 3, 1), people=[("某人", "")])  # fmt: skip
    with pytest.raises(ValidationError, match="第2行“王丽 三年级”重复了"):
        services.issue(actor=officer, kind=k, year=2026, issuer=org, issued_on=date(2026, 2, 20),
                       due_on=date(2026, 3, 1), people=[("王丽", "三年级"), ("王丽", "三年级")])  # fmt: skip
    with pytest.raises(ValidationError, match="王丽（三年级）已签有2026年学校安全工作责任书"):
        services.issue(actor=officer, kind=k, year=2026, issuer=org, issued_on=date(2026, 2, 20),
                       due_on=date(2026, 3, 1), people=[("王丽", "三年级")])  # fmt: skip


def test_a_drawn_signature_signs_once_and_a_blank_pad_is_refused(personas):
    _top, (a, _b) = street_letters(personas)
    with pytest.raises(ValidationError, match="签名框是空的"):
        services.sign(actor=personas.worker_a, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 10),
                      drawn=drawn(blank=True))  # fmt: skip
    services.sign(
        actor=personas.worker_a, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 10), drawn=drawn()
    )
    a.refresh_from_db()
    assert (
        a.signed_on == date(2026, 2, 10)
        and a.signed_how == SignedBy.DRAWN
        and a.signature.name.startswith("letters/signatures/")
    )
    with pytest.raises(ValidationError, match="已经签订"):
        services.sign(
            actor=personas.worker_a, letter=a, signer_name="又一人", signed_on=date(2026, 2, 11), drawn=drawn()
        )


def test_a_neighbour_cannot_sign_and_the_scan_must_be_an_image_or_a_pdf(personas):
    _top, (a, _b) = street_letters(personas)
    with pytest.raises(PermissionDenied):
        services.sign(actor=personas.worker_b, letter=a, signer_name="社区B专干", signed_on=date(2026, 2, 10),
                      drawn=drawn())  # fmt: skip
    fake = SimpleUploadedFile("责任书.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError, match="内容不是PDF文件"):
        services.sign(actor=personas.supervisor, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 10),
                      scan=fake)  # fmt: skip
    a.refresh_from_db()
    assert a.signed_on is None  # nothing half-signed
    scan = SimpleUploadedFile("签字版.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "application/pdf")
    services.sign(actor=personas.supervisor, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 10), scan=scan)
    a.refresh_from_db()
    assert a.signed_how == SignedBy.SCAN and a.scan_name == "签字版.pdf"


def test_a_signing_date_before_the_issue_or_in_the_future_is_refused(personas):
    _top, (a, _b) = street_letters(personas)
    for day, text in ((date(2026, 1, 5), "不能早于发出日期"), (date(2026, 3, 11), "不能晚于今天")):
        with pytest.raises(ValidationError, match=text):
            services.sign(actor=personas.worker_a, letter=a, signer_name="书记", signed_on=day, drawn=drawn())


def test_coverage_per_level_names_who_has_not_signed(personas):
    top, (a, _b) = street_letters(personas)
    services.sign(
        actor=personas.supervisor, letter=top, signer_name="街道主任", signed_on=date(2026, 2, 2), drawn=drawn()
    )
    services.sign(actor=personas.worker_a, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 3), drawn=drawn())
    levels = selectors.coverage(personas.admin, year=2026, today=date(2026, 3, 10))
    assert [(lv.level, lv.role, lv.issued, lv.signed, lv.rate, lv.overdue) for lv in levels] == [
        (1, "街道/乡镇", 1, 1, 100.0, 0),
        (2, "社区/村", 2, 1, 50.0, 1),
    ]
    assert [x.holder_name for x in levels[1].unsigned] == ["社区B"]
    # 社区A's worker sees only 社区A's own letter.
    mine = selectors.coverage(personas.worker_a, year=2026, today=date(2026, 3, 10))
    assert [(lv.level, lv.issued, lv.signed) for lv in mine] == [(2, 1, 1)]
    assert Letter.objects.visible_to(personas.worker_b).filter(pk=a.pk).count() == 0
