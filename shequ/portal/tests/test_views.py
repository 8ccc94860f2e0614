"""The residents' side: registration, posting with photos, following and rating, the public board."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.models import Membership, User, phone_q
from shequ.accounts.roles import Role
from shequ.audit.models import AuditLog
from shequ.cases import services
from shequ.cases.choices import CaseState
from shequ.cases.models import Case
from shequ.cases.tests.helpers import accept, bulk_cases, ctype, image_upload
from shequ.testing.forms import form_values

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">点我</a>',
    "</textarea><script>alert(document.cookie)</script>",
    "<iframe src=//evil.example></iframe>",
    "{{ 7|add:42 }}{% now 'Y' %}",
    "<style>body{display:none}</style>",
    "<body onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202e<script>alert('rtl')</script>",
]


def _code_for(client, phone: str) -> str:
    from shequ.core import sms

    client.post(reverse("portal:register_code"), {"phone": phone})
    sent = [m.text for m in sms.outbox if m.phone == phone]
    codes = re.findall(r"验证码是(\d{6})", sent[-1]) if sent else []
    return codes[0] if codes else "000000"


def _register(client, **over):
    phone = over.get("phone", "13912345678")
    data = {
        "phone": phone,
        "code": _code_for(client, phone),
        "name": "蒋居民",
        "community": over.pop("community"),
        "password1": "Qiang-mima-2026",
        "password2": "Qiang-mima-2026",
        **over,
    }
    return client.post(reverse("portal:register"), data)


def test_resident_registers_with_phone_and_community_then_logs_in_with_the_phone(personas, client):
    response = _register(client, community=personas.community_a.pk)
    assert response.status_code == 302 and response["Location"] == reverse("portal:mine")
    user = User.objects.get(phone_q("13912345678"))
    assert user.phone == "13912345678" and "13912345678" not in user.username  # the number is kept encrypted only
    m = Membership.objects.get(user=user)
    assert m.role == Role.RESIDENT and m.org == personas.community_a
    assert AuditLog.objects.filter(action="portal.register", actor=user).exists()
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "13912345678", "password": "Qiang-mima-2026"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"password2": "other-pass-2026"}, "不一致"),
        ({"password1": "12345678", "password2": "12345678"}, "密码"),
    ],
)
def test_registration_errors_are_in_chinese_and_keep_what_was_typed(personas, client, over, message):
    response = _register(client, community=personas.community_a.pk, **over)
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "蒋居民" in html
    assert not User.objects.filter(name="蒋居民").exists()


def test_a_phone_registers_once_and_the_page_does_not_tell_which_phones_exist(personas, client, sms_outbox):
    User.objects.create_user(username="x", phone="13912345678", password="whatever-2026")
    known = client.post(reverse("portal:register_code"), {"phone": "13912345678"}, follow=True).content.decode()
    unknown = client.post(reverse("portal:register_code"), {"phone": "13912345679"}, follow=True).content.decode()
    assert "如该手机号可以注册，验证码已发送" in known and "如该手机号可以注册，验证码已发送" in unknown
    assert "该手机号已注册" not in known
    # Only the phone itself hears that it is registered; it gets no code.
    assert [m.phone for m in sms_outbox if "验证码是" not in m.text] == ["13912345678"]
    response = _register(client, community=personas.community_a.pk)
    assert response.status_code == 200 and User.objects.filter(phone_q("13912345678")).count() == 1
    assert "验证码不正确或已过期" in response.content.decode()


def test_a_wrong_phone_is_told_in_chinese_and_kept(personas, client):
    html = client.post(reverse("portal:register_code"), {"phone": "1391234"}).content.decode()
    assert "11位手机号" in html and "1391234" in html


def test_registration_needs_the_code_sent_to_the_phone(personas, client):
    client.post(reverse("portal:register_code"), {"phone": "13912345678"})
    data = {"phone": "13912345678", "code": "123456", "name": "蒋居民", "community": personas.community_a.pk}
    data |= {"password1": "Qiang-mima-2026", "password2": "Qiang-mima-2026"}
    response = client.post(reverse("portal:register"), data)
    assert "验证码不正确或已过期" in response.content.decode()
    assert not User.objects.filter(phone_q("13912345678")).exists()


def test_registration_is_rate_limited_by_address_and_by_phone(personas, client, settings, sms_outbox):
    settings.PHONE_CODE_IP_RATE = "3/h"
    for i in range(3):
        client.post(reverse("portal:register_code"), {"phone": f"1391234560{i}"})
    response = client.post(reverse("portal:register_code"), {"phone": "13912345609"})
    assert "请求过于频繁" in response.content.decode() and len(sms_outbox) == 3
    settings.PHONE_CODE_IP_RATE = "100/h"
    for i in range(5):
        from django.test import Client

        Client(REMOTE_ADDR=f"10.0.0.{i}").post(reverse("portal:register_code"), {"phone": "13700000000"})
    late = Client(REMOTE_ADDR="10.0.0.99").post(reverse("portal:register_code"), {"phone": "13700000000"})
    assert "请求过于频繁" in late.content.decode()
    assert len([m for m in sms_outbox if m.phone == "13700000000"]) == 5


def test_only_communities_can_be_chosen(personas, client):
    response = _register(client, community=personas.street.pk)
    assert response.status_code == 200 and not User.objects.filter(phone_q("13912345678")).exists()


def test_resident_posts_an_opinion_with_photos(personas, client_for):
    c = client_for(personas.resident)
    response = c.post(
        reverse("portal:new"),
        {
            "org": personas.community_a.pk,
            "case_type": "opinion",
            "category": "建议",
            "title": "增设休闲座椅",
            "description": "小区花园没有座椅,老人没处休息。",
            "photos": [image_upload("a.jpg", exif=True), image_upload("b.png", fmt="PNG")],
            "allow_public": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:case", args=[case.pk])
    assert case.reporter == personas.resident and case.channel == "portal" and case.allow_public
    assert case.attachments.filter(is_image=True).count() == 2
    html = c.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "增设休闲座椅" in html and "已提交" in html


def test_a_file_that_is_not_an_image_is_refused_and_the_text_is_kept(personas, client_for):
    c = client_for(personas.resident)
    fake = SimpleUploadedFile("x.jpg", b"#!/bin/sh\necho pwned", content_type="image/jpeg")
    response = c.post(
        reverse("portal:new"),
        {"case_type": "opinion", "category": "意见", "title": "下水道堵了", "description": "d", "photos": [fake]},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "不是有效的图片" in html and "下水道堵了" in html
    assert not Case.objects.exists()


def test_only_supervisors_see_and_may_use_the_report_type(personas, client_for):
    c = client_for(personas.resident)
    assert 'value="monitor"' not in c.get(reverse("portal:new")).content.decode()
    response = c.post(
        reverse("portal:new"),
        {"case_type": "monitor", "category": "环境卫生", "title": "t", "description": "d"},
    )
    assert response.status_code == 200 and not Case.objects.exists()
    monitor = Membership.objects.create(user=personas.resident, org=personas.community_a, role=Role.MONITOR).user
    c = client_for(User.objects.get(pk=monitor.pk))
    assert 'value="monitor"' in c.get(reverse("portal:new")).content.decode()
    response = c.post(
        reverse("portal:new"),
        {"case_type": "monitor", "category": "治安隐患", "title": "路灯不亮", "description": "d", "place": "东门"},
    )
    assert response.status_code == 302 and Case.objects.get().channel == "monitor"


def test_staff_without_a_resident_membership_cannot_post_on_the_portal(personas, client_for):
    assert client_for(personas.worker_a).get(reverse("portal:new")).status_code == 403


def _answered(p, title="问题", description="描述", reply="已答复", **kw):
    case = services.case_report(
        actor=p.resident, case_type=ctype("opinion"), org=p.community_a, title=title, description=description,
        category="意见", **kw,
    )  # fmt: skip
    case = accept(case, p.leader_a, owner=p.worker_a)
    return services.case_move(actor=p.worker_a, case=case, action="resolve", result="已办", public_reply=reply)


def test_resident_sees_the_reply_and_rates_it(personas, client_for):
    case = _answered(personas, reply="已安排物业本周内更换")
    c = client_for(personas.resident)
    html = c.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "已安排物业本周内更换" in html and "评价办理结果" in html
    response = c.post(reverse("portal:rate", args=[case.pk]), {"decision": "rate"})
    assert "请选择满意度" in response.content.decode()
    response = c.post(reverse("portal:rate", args=[case.pk]), {"decision": "rate", "rating": "5", "comment": "很快"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.EVALUATED and case.rating == 5 and case.rating_comment == "很快"


def test_resident_reopens_when_not_satisfied(personas, client_for):
    case = _answered(personas)
    c = client_for(personas.resident)
    response = c.post(reverse("portal:rate", args=[case.pk]), {"decision": "reopen", "reason": "还是没修"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.HANDLING and case.reopen_count == 1


def test_board_shows_replied_public_opinions_with_reply_time_and_masks_the_name(personas, client):
    _answered(personas, title="居民甲的路灯意见", reply="公开的答复")
    _answered(personas, title="不公开的意见", allow_public=False)
    services.case_report(
        actor=personas.resident, case_type=ctype("opinion"), org=personas.community_a, title="未答复的意见",
        description="d", category="意见",
    )  # fmt: skip
    html = client.get(reverse("portal:board", args=[personas.community_a.pk])).content.decode()
    assert "居民甲的路灯意见" in html and "公开的答复" in html and "社区答复" in html
    assert "不公开的意见" not in html and "未答复的意见" not in html
    assert "居民甲 ·" not in html and "居姓居民 ·" in html
    assert "公开的答复" not in client.get(reverse("portal:board", args=[personas.community_b.pk])).content.decode()


def test_worker_keeps_a_post_off_the_board_without_deleting_it(personas, client_for, client):
    case = _answered(personas, title="含隐私的意见")
    board = reverse("portal:board", args=[personas.community_a.pk])
    assert "含隐私的意见" in client.get(board).content.decode()
    response = client_for(personas.worker_a).post(reverse("cases:board", args=[case.pk]), {"reason": "含他人电话"})
    assert response.status_code == 302
    assert "含隐私的意见" not in client.get(board).content.decode()
    assert Case.objects.filter(pk=case.pk, board_hidden_reason="含他人电话").exists()
    html = client_for(personas.resident).get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "含隐私的意见" in html


def test_photos_are_public_only_when_the_post_is_on_the_board(personas, client):
    case = _answered(personas, photos=[image_upload()])
    att = case.attachments.get()
    assert client.get(reverse("portal:photo", args=[att.pk])).status_code == 200
    services.board_hide(actor=personas.worker_a, case=case, reason="x")
    assert client.get(reverse("portal:photo", args=[att.pk])).status_code == 404


@pytest.mark.parametrize("payload", XSS)
def test_nothing_a_resident_types_runs_on_the_board(personas, client_for, client, payload):
    c = client_for(personas.resident)
    c.post(
        reverse("portal:new"),
        {
            "case_type": "opinion",
            "category": "意见",
            "title": payload[:60],
            "description": payload,
            "allow_public": "on",
        },
    )
    case = Case.objects.get()
    case = accept(case, personas.leader_a, owner=personas.worker_a)
    services.case_move(actor=personas.worker_a, case=case, action="resolve", result="r", public_reply=payload)
    for url, who in [
        (reverse("portal:board", args=[personas.community_a.pk]), client),
        (reverse("portal:case", args=[case.pk]), c),
        (reverse("cases:detail", args=[case.pk]), client_for(personas.worker_a)),
        (reverse("cases:inbox"), client_for(personas.worker_a)),
    ]:
        response = who.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        for needle in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:', "<iframe", "<style>body",
                       "<body onload", "onerror=\"alert"):  # fmt: skip
            assert needle not in html, (url, needle)
        if payload.startswith("{{"):
            assert "{{ 7|add:42 }}" in html  # shown as typed, never evaluated as a template
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("n", [10, 1000])
def test_board_runs_a_fixed_number_of_queries(personas, client, django_assert_max_num_queries, n):
    rows = bulk_cases(
        n, personas.community_a, "opinion", reporter=personas.resident, state="resolved", allow_public=True,
        public_reply="答复内容", public_reply_at=timezone.now(),
    )  # fmt: skip
    services.case_report  # noqa: B018 - the board reads no service
    from shequ.cases.models import CaseAttachment

    CaseAttachment.objects.bulk_create(
        [CaseAttachment(case=c, file="cases/x.jpg", name="x.jpg", is_image=True) for c in rows[:30]]
    )
    # 6, and 1 for the sections other lines of work add (the groups' public resolutions; 2 more when there are any).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("portal:board", args=[personas.community_a.pk]))
    assert response.content.decode().count('data-testid="post"') == min(n, 20)


@pytest.mark.parametrize("n", [10, 1000])
def test_my_cases_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_cases(n, personas.community_a, "opinion", reporter=personas.resident)
    c = client_for(personas.resident)
    with django_assert_max_num_queries(10):
        response = c.get(reverse("portal:mine"))
    assert response.content.decode().count("批量事项") == min(n, 20)


# --- finding: the public board showed phone numbers, ID numbers and addresses verbatim ----------------------

POST_TEXT = (
    "我是幸福小区3栋2单元501室的住户，楼上3-2-601卫生间漏水两个月了，物业电话0277-6543210打不通。"
    "我的手机13812345678，身份证420102198905171234，请尽快处理。也可以发邮件到 wanglan88@163.com。"
)
REPLY_TEXT = "已联系12号院1号楼物业刘经理（电话139 1234 5678），本周五上门维修。"


def test_board_masks_personal_details_and_names_the_reporter_by_surname_only(personas, client):
    personas.resident.name = "王秀兰"
    personas.resident.save(update_fields=["name"])
    case = _answered(personas, title="3栋2单元501室漏水", description=POST_TEXT, reply=REPLY_TEXT)
    html = client.get(reverse("portal:board", args=[personas.community_a.pk])).content.decode()
    for secret in ["13812345678", "1381234", "420102198905171234", "6543210", "501室", "3-2-601", "wanglan88",
                   "1234 5678", "12号院", "王秀兰", "秀兰"]:  # fmt: skip
        assert secret not in html, secret
    assert "138********" in html and "***@163.com" in html and "*栋*单元***室漏水" in html
    assert "王姓居民 ·" in html and "A第1网格" not in html
    # the originals stay for staff
    case.refresh_from_db()
    assert case.description == POST_TEXT and case.public_reply == REPLY_TEXT


def test_worker_sees_and_corrects_the_public_version_before_it_shows(personas, client_for, client):
    case = _answered(personas, title="路灯不亮", description="我家门口的路灯不亮，电话13812345678", reply="已报修。")
    staff = client_for(personas.worker_a)
    page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "我家门口的路灯不亮，电话138********" in page  # the public version, as the board will show it
    form = form_values(page, "salutation")
    form.update(text="门口的路灯不亮。", salutation="F")
    assert staff.post(reverse("cases:board_public", args=[case.pk]), form).status_code == 302
    html = client.get(reverse("portal:board", args=[personas.community_a.pk])).content.decode()
    assert "门口的路灯不亮。" in html and "138****" not in html and "居女士 ·" in html
    case.refresh_from_db()
    assert case.description == "我家门口的路灯不亮，电话13812345678" and case.board_text == "门口的路灯不亮。"
    assert AuditLog.objects.filter(action="case.board_public", object_id=str(case.pk)).exists()


def test_the_registry_gender_names_a_linked_reporter(personas, client):
    from shequ.residents.models import Gender
    from shequ.residents.tests.helpers import register

    person = register(personas.worker_a, personas.community_a, name="李建国", gender=Gender.MALE, id_number="")
    case = _answered(personas, title="健身器材损坏")
    Case.objects.filter(pk=case.pk).update(reporter_person=person, reporter_name="李建国")
    html = client.get(reverse("portal:board", args=[personas.community_a.pk])).content.decode()
    assert "李先生 ·" in html and "李建国" not in html
