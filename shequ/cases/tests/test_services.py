"""Registration, deadlines and 督办 over time (time-machine), escalation, extension, return visits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from shequ.audit.models import AuditLog
from shequ.cases import selectors, services
from shequ.cases.choices import CaseState, Supervision
from shequ.cases.models import Case, CaseHistory
from shequ.cases.selectors import case_list, count_cases_by_org
from shequ.cases.tests.helpers import accept, ctype, image_upload, make_case

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(days: float = 0, hours: float = 0):
    return time_machine.travel(T0 + timedelta(days=days, hours=hours), tick=False)


def sweep():
    return services.supervision_sweep()


def level(case) -> str:
    return Case.objects.get(pk=case.pk).supervision


# registration ------------------------------------------------------------------------------------


def test_register_dispute_files_it_under_the_year_of_its_date_with_parties_history_and_audit(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a, registered_on=date(2025, 12, 30))
    assert case.year == 2025 and case.state == CaseState.REGISTERED
    assert [p.name for p in case.parties.all()] == ["张三", "李四"]
    assert case.dispute.source == "screening"
    assert CaseHistory.objects.filter(case=case, action="register").count() == 1
    assert AuditLog.objects.filter(action="case.register", object_id=str(case.pk)).exists()


def test_dispute_without_parties_is_refused(personas):
    with pytest.raises(ValidationError, match="当事人"):
        make_case(personas.worker_a, personas.community_a, parties=[])


def test_category_must_belong_to_the_type(personas):
    with pytest.raises(ValidationError):
        make_case(personas.worker_a, personas.community_a, category="消防")


def test_registration_in_a_closed_year_is_refused(personas):
    from shequ.records.models import YearClosure

    YearClosure.objects.create(org=personas.street, year=2025, closed_by=personas.supervisor)
    with pytest.raises(ValidationError, match="关账"):
        make_case(personas.worker_a, personas.community_a, registered_on=date(2025, 6, 1))


def test_worker_of_b_cannot_register_in_a(personas):
    with pytest.raises(PermissionDenied):
        make_case(personas.worker_b, personas.community_a)


def test_photos_are_cleaned_of_location_and_resized(personas):
    from PIL import Image

    case = make_case(
        personas.worker_a, personas.community_a, "hazard", files=[image_upload(size=(4000, 3000), exif=True)]
    )
    att = case.attachments.get()
    with Image.open(att.file.path) as img:
        assert max(img.size) <= 1920
        assert not img.getexif()
    assert att.is_image and att.width <= 1920


def test_fake_image_is_refused_and_nothing_is_saved(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效的图片"):
        make_case(personas.worker_a, personas.community_a, "hazard", files=[fake])
    assert not Case.objects.exists()


def test_document_whose_content_does_not_match_its_name_is_refused(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不符"):
        make_case(personas.worker_a, personas.community_a, files=[fake])


# deadlines and 督办 over time ---------------------------------------------------------------------


def test_unaccepted_case_is_supervised_after_the_accept_limit_then_yellow_then_red(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a)  # 矛盾纠纷: 24 h, yellow 5 d, red 10 d
    with at(hours=23):
        assert sweep()["raised"] == 0
    with at(hours=25):
        sweep()
    assert level(case) == Supervision.NORMAL
    with at(days=1 + 5, hours=1):
        sweep()
    assert level(case) == Supervision.YELLOW
    with at(days=1 + 10, hours=1):
        sweep()
    assert level(case) == Supervision.RED
    rows = CaseHistory.objects.filter(case=case, action="supervise_auto")
    assert [r.detail["level"] for r in rows] == ["normal", "yellow", "red"]
    assert AuditLog.objects.filter(action="case.supervision_sweep").count() == 3


def test_accepted_case_gets_the_default_deadline_and_is_supervised_when_late(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a)
        case = accept(case, personas.leader_a, owner=personas.worker_a)
    assert case.deadline == date(2026, 3, 17)  # 15 days
    with at(days=15):
        sweep()
    assert level(case) == Supervision.NONE
    with at(days=16):
        sweep()
    assert level(case) == Supervision.NORMAL
    assert selectors.case_list(personas.worker_a, box="overdue").filter(pk=case.pk).exists()
    with at(days=15 + 5):
        sweep()
    assert level(case) == Supervision.YELLOW
    with at(days=15 + 10):
        sweep()
    assert level(case) == Supervision.RED


def test_sweep_never_lowers_and_skips_closed_cases(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a)
        accept(case, personas.leader_a, owner=personas.worker_a, deadline=date(2026, 3, 5))
        closed = make_case(personas.worker_a, personas.community_a)
        accept(closed, personas.leader_a, owner=personas.worker_a, deadline=date(2026, 3, 5))
        services.case_move(
            actor=personas.worker_a, case=closed, action="resolve", result="调解成功", outcome="success",
            agreement_text="赔偿500元",
        )  # fmt: skip
    with at(days=20):
        sweep()
    assert level(case) == Supervision.RED
    assert level(closed) == Supervision.NONE
    with at(days=21):
        assert sweep()["raised"] == 0
    assert level(case) == Supervision.RED


def test_org_time_limits_hold_in_its_subtree_and_the_nearest_org_wins(personas):
    p = personas
    services.time_limit_set(
        actor=p.supervisor, case_type=ctype("dispute"), org=p.street, accept_hours=8, handle_days=5, yellow_days=1,
        red_days=3,
    )  # fmt: skip
    with at():
        a = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a)
    assert a.deadline == date(2026, 3, 7)
    services.time_limit_set(
        actor=p.leader_a, case_type=ctype("dispute"), org=p.community_a, accept_hours=48, handle_days=20,
        yellow_days=4, red_days=8,
    )  # fmt: skip
    with at():
        a2 = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a)
        b = accept(make_case(p.worker_b, p.community_b), p.supervisor, owner=p.worker_b)
    assert a2.deadline == date(2026, 3, 22)
    assert b.deadline == date(2026, 3, 7)
    with at(days=5 + 1):
        sweep()
    assert level(b) == Supervision.YELLOW  # street's limits: yellow after 1 day late
    assert level(a2) == Supervision.NONE


def test_only_a_leader_sets_time_limits(personas):
    with pytest.raises(PermissionDenied):
        services.time_limit_set(
            actor=personas.worker_a, case_type=ctype("dispute"), org=personas.community_a, accept_hours=8,
            handle_days=5, yellow_days=1, red_days=3,
        )  # fmt: skip


def test_leader_raises_supervision_by_hand_but_never_lowers_it(personas):
    case = make_case(personas.worker_a, personas.community_a)
    services.case_move(actor=personas.leader_a, case=case, action="supervise", level="yellow", note="重点关注")
    assert level(case) == Supervision.YELLOW
    with pytest.raises(ValidationError, match="只能升级"):
        services.case_move(actor=personas.leader_a, case=case, action="supervise", level="normal")


def test_supervision_command_runs_the_sweep_and_can_enqueue_the_task(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a)
    with at(days=2):
        call_command("cases_supervise")
    assert level(case) == Supervision.NORMAL


# escalation ---------------------------------------------------------------------------------------


def test_escalation_moves_ownership_up_and_changes_who_sees_and_acts(personas):
    p = personas
    case = make_case(p.worker_a, p.community_a)
    case = services.case_move(actor=p.worker_a, case=case, action="escalate", note="涉及两个社区")
    assert case.org == p.street and case.escalated_from == p.community_a and case.state == CaseState.REGISTERED
    # the street now owns it: it is in its boxes "escalated to us" and "to accept"
    assert case_list(p.supervisor, box="escalated").filter(pk=case.pk).exists()
    assert case_list(p.supervisor, box="todo").filter(pk=case.pk).exists()
    # 社区A keeps seeing it (read-only) but no longer owns or moves it
    assert selectors.case_get(p.worker_a, case.pk) == case
    assert not case_list(p.worker_a, box="todo").filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.case_move(actor=p.leader_a, case=case, action="accept", owner=p.worker_a)
    # 社区B still sees nothing; the other street neither
    assert not selectors.visible_cases(p.worker_b).filter(pk=case.pk).exists()
    # the street accepts with one of its own people
    assert p.supervisor in selectors.assignable_users(case)
    assert p.worker_a not in selectors.assignable_users(case)
    case = services.case_move(actor=p.supervisor, case=case, action="accept", owner=p.supervisor)
    assert case.owner == p.supervisor and case.state == CaseState.HANDLING


def test_escalated_case_sent_back_returns_to_the_community(personas):
    p = personas
    case = services.case_move(actor=p.worker_a, case=make_case(p.worker_a, p.community_a), action="escalate", note="x")
    case = services.case_move(actor=p.supervisor, case=case, action="send_back", note="属社区内部纠纷")
    assert case.org == p.community_a and case.escalated_from is None and case.state == CaseState.REGISTERED
    assert case_list(p.worker_a, box="todo").filter(pk=case.pk).exists()


def test_escalation_to_the_district_hides_it_from_a_street_that_did_not_register_it(personas):
    p = personas
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    other_street_leader = member(p.other_street, Role.LEADER)
    case = services.case_move(actor=p.worker_a, case=make_case(p.worker_a, p.community_a), action="escalate", note="x")
    case = services.case_move(actor=p.supervisor, case=case, action="escalate", note="需区里协调")
    assert case.org == p.district
    assert selectors.visible_cases(p.inspector).filter(pk=case.pk).exists()
    assert selectors.visible_cases(p.supervisor).filter(pk=case.pk).exists()  # registered in its subtree
    assert not selectors.visible_cases(other_street_leader).filter(pk=case.pk).exists()


# extension ----------------------------------------------------------------------------------------


def test_extension_is_approved_by_a_leader_and_moves_the_deadline(personas):
    p = personas
    with at():
        case = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a, deadline=date(2026, 3, 10))
    with at(days=10):
        sweep()
        case = services.case_move(
            actor=p.worker_a,
            case=case,
            action="request_extension",
            note="当事人外出务工",
            new_deadline=date(2026, 4, 1),
        )
        assert case.deadline == date(2026, 3, 10) and case.pending_extension is not None
        with pytest.raises(PermissionDenied):
            services.case_move(actor=p.worker_a, case=case, action="approve_extension")
        case = services.case_move(actor=p.leader_a, case=case, action="approve_extension", note="同意")
    assert case.deadline == date(2026, 4, 1) and case.supervision == Supervision.NONE
    ext = case.extensions.get()
    assert ext.state == "approved" and ext.decided_by == p.leader_a and ext.old_deadline == date(2026, 3, 10)
    with at(days=11):
        sweep()
    assert level(case) == Supervision.NONE


def test_rejected_extension_keeps_the_deadline(personas):
    p = personas
    with at():
        case = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a, deadline=date(2026, 3, 10))
        case = services.case_move(
            actor=p.worker_a, case=case, action="request_extension", note="理由", new_deadline=date(2026, 4, 1)
        )
        case = services.case_move(actor=p.leader_a, case=case, action="reject_extension", note="抓紧办理")
    assert case.deadline == date(2026, 3, 10) and case.extensions.get().state == "rejected"


def test_extension_must_ask_for_a_later_date(personas):
    p = personas
    with at():
        case = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a, deadline=date(2026, 3, 10))
        with pytest.raises(ValidationError, match="应晚于"):
            services.case_move(
                actor=p.worker_a, case=case, action="request_extension", note="x", new_deadline=date(2026, 3, 9)
            )


# resolution, return visits, reopening -------------------------------------------------------------


def test_dispute_resolution_needs_an_outcome_and_an_agreement(personas):
    p = personas
    case = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a)
    with pytest.raises(ValidationError, match="调解结果"):
        services.case_move(actor=p.worker_a, case=case, action="resolve", result="结束")
    with pytest.raises(ValidationError, match="协议"):
        services.case_move(actor=p.worker_a, case=case, action="resolve", result="结束", outcome="success")
    case = services.case_move(
        actor=p.worker_a, case=case, action="resolve", result="调解不成", outcome="failed", failed_to="引导诉讼"
    )
    assert case.state == CaseState.RESOLVED and case.dispute.outcome == "failed"


def test_return_visit_by_the_reporter_reopens_then_rates(personas):
    p = personas
    case = services.case_report(
        actor=p.resident, case_type=ctype("opinion"), org=p.community_a, title="垃圾清运不及时",
        description="每天下午才清运", category="投诉",
    )  # fmt: skip
    case = accept(case, p.leader_a, owner=p.worker_a)
    case = services.case_move(actor=p.worker_a, case=case, action="resolve", result="已协调", public_reply="已改为上午")
    with pytest.raises(ValidationError, match="原因"):
        services.case_move(actor=p.resident, case=case, action="reopen")
    case = services.case_move(actor=p.resident, case=case, action="reopen", note="还是下午才来")
    assert case.state == CaseState.HANDLING and case.reopen_count == 1 and case.resolved_at is None
    case = services.case_move(actor=p.worker_a, case=case, action="resolve", result="已与环卫所确认改为上午")
    with pytest.raises(ValidationError, match="满意度"):
        services.case_move(actor=p.resident, case=case, action="evaluate")
    case = services.case_move(actor=p.resident, case=case, action="evaluate", rating=4, comment="好多了")
    assert case.state == CaseState.EVALUATED and case.rating == 4
    # once rated, the reporter can no longer reopen; a leader still can
    with pytest.raises(PermissionDenied):
        services.case_move(actor=p.resident, case=case, action="reopen", note="又不行了")
    case = services.case_move(actor=p.leader_a, case=case, action="reopen", note="居民再次来电")
    assert case.state == CaseState.HANDLING and case.reopen_count == 2 and case.rating is None


def test_another_resident_cannot_rate_my_case(personas):
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    p = personas
    case = services.case_report(
        actor=p.resident, case_type=ctype("opinion"), org=p.community_a, title="t", description="d", category="意见"
    )
    case = accept(case, p.leader_a, owner=p.worker_a)
    case = services.case_move(actor=p.worker_a, case=case, action="resolve", result="已办")
    with pytest.raises(PermissionDenied):
        services.case_move(actor=member(p.community_a, Role.RESIDENT), case=case, action="evaluate", rating=1)


def test_hazard_is_rectified_then_checked_and_signed_off(personas):
    p = personas
    case = accept(make_case(p.worker_a, p.community_a, "hazard"), p.leader_a, owner=p.worker_a)
    assert case.hazard.rectify_deadline == case.deadline
    with pytest.raises(ValidationError, match="整改措施"):
        services.case_move(actor=p.worker_a, case=case, action="resolve", result="已整改")
    case = services.case_move(
        actor=p.worker_a, case=case, action="resolve", result="已整改", rectification_measures="更换灭火器"
    )
    with pytest.raises(ValidationError, match="验收人"):
        services.case_move(actor=p.leader_a, case=case, action="evaluate")
    case = services.case_move(actor=p.leader_a, case=case, action="evaluate", checker="李书记", check_conclusion="合格")
    assert case.hazard.signed_off_at is not None and case.state == CaseState.EVALUATED
    from shequ.cases.ledgers import rectify_state

    assert rectify_state(case) == "已销号"


def test_entries_only_while_handling_and_never_in_the_future(personas):
    from shequ.cases.workflow import TransitionError

    p = personas
    case = make_case(p.worker_a, p.community_a)
    with pytest.raises(TransitionError):
        services.entry_add(actor=p.worker_a, case=case, kind="mediation", text="第一次调解")
    case = accept(case, p.leader_a, owner=p.worker_a)
    entry = services.entry_add(
        actor=p.worker_a, case=case, kind="mediation", text="第一次调解,双方各退一步", files=[image_upload()]
    )
    assert entry.attachments.count() == 1
    with pytest.raises(ValidationError, match="晚于现在"):
        services.entry_add(
            actor=p.worker_a, case=case, kind="visit", text="x", happened_at=timezone.now() + timedelta(days=1)
        )


def test_board_hide_keeps_the_case_and_records_the_reason(personas):
    p = personas
    case = services.case_report(
        actor=p.resident, case_type=ctype("opinion"), org=p.community_a, title="t", description="d", category="意见"
    )
    case = accept(case, p.leader_a, owner=p.worker_a)
    case = services.case_move(actor=p.worker_a, case=case, action="resolve", result="r", public_reply="答复")
    assert case.on_board
    with pytest.raises(ValidationError):
        services.board_hide(actor=p.worker_a, case=case, reason="")
    services.board_hide(actor=p.worker_a, case=case, reason="涉及个人隐私")
    case.refresh_from_db()
    assert not case.on_board and case.board_hidden_reason == "涉及个人隐私" and Case.objects.filter(pk=case.pk).exists()
    services.board_show(actor=p.worker_a, case=case)
    case.refresh_from_db()
    assert case.on_board
    with pytest.raises(PermissionDenied):
        services.board_hide(actor=p.worker_b, case=case, reason="x")


def test_monitor_report_needs_the_monitor_role(personas):
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    p = personas
    with pytest.raises(PermissionDenied, match="监督员"):
        services.case_report(
            actor=p.resident, case_type=ctype("monitor"), org=p.community_a, title="t", description="d",
            category="环境卫生",
        )  # fmt: skip
    monitor = member(p.community_a, Role.MONITOR)
    case = services.case_report(
        actor=monitor, case_type=ctype("monitor"), org=p.community_a, title="垃圾堆放", description="d",
        category="环境卫生", place="3栋旁", photos=[image_upload()],
    )  # fmt: skip
    assert case.channel == "monitor" and case.reporter == monitor and case.attachments.count() == 1


def test_residents_cannot_use_the_staff_registration(personas):
    with pytest.raises(PermissionDenied):
        make_case(personas.resident, personas.community_a, "opinion")


def test_count_cases_by_org_counts_registrations_of_the_year_in_each_subtree(personas):
    p = personas
    with at():
        make_case(p.worker_a, p.community_a, "hazard")
        make_case(p.worker_a, p.grid_a, "hazard")
        make_case(p.worker_a, p.community_a, "hazard", registered_on=date(2025, 5, 1))
        make_case(p.worker_b, p.community_b, "dispute")
        escalated = make_case(p.worker_a, p.community_a, "hazard")
        services.case_move(actor=p.worker_a, case=escalated, action="escalate", note="x")
    result = count_cases_by_org(
        org_ids=[p.community_a.pk, p.community_b.pk, p.street.pk, p.community_c.pk], year=2026, type_codes=["hazard"]
    )
    assert result == {p.community_a.pk: 3, p.community_b.pk: 0, p.street.pk: 3, p.community_c.pk: 0}
    assert count_cases_by_org(org_ids=[p.street.pk], year=2026, type_codes=["hazard", "dispute"]) == {p.street.pk: 4}


def test_the_box_counts_are_the_boxes_lists_and_a_closed_case_counts_in_none(personas):
    with at():
        case = make_case(personas.worker_a, personas.community_a)
        case = accept(case, personas.leader_a, owner=personas.worker_a)
    with at(days=16):
        sweep()
        counts = selectors.box_counts(personas.worker_a)
        assert counts["mine"] == counts["overdue"] == counts["supervised"] == 1
        for box, n in counts.items():
            assert case_list(personas.worker_a, box=box).count() == n, box
        Case.objects.filter(pk=case.pk).update(state=CaseState.RESOLVED)  # still past its deadline and 督办
        assert set(selectors.box_counts(personas.worker_a).values()) == {0}
