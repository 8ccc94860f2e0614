from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.models import Membership
from shequ.accounts.roles import Role
from shequ.audit.models import AuditLog
from shequ.orgs.models import Area
from shequ.records import services
from shequ.records.models import Record, RecordPhoto, YearClosure
from shequ.records.tests.helpers import activity_type, image_upload, make_record
from shequ.records.years import ensure_year_open
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def test_worker_records_in_own_community_filed_under_the_year_of_its_date(personas):
    r = make_record(personas.worker_a, personas.community_a, on=date(2024, 12, 31))
    assert r.year == 2024 and r.area.code == "health" and r.created_by == personas.worker_a
    assert r.extra == {"issue_no": 1, "location": "服务站门口宣传栏"}


def test_moving_the_date_across_new_year_refiles_the_record(personas):
    r = make_record(personas.worker_a, personas.community_a, on=date(2024, 12, 31))
    services.record_update(actor=personas.worker_a, record=r, date=date(2025, 1, 2))
    r.refresh_from_db()
    assert r.year == 2025


def test_grid_worker_records_in_the_grid(personas):
    r = make_record(personas.grid_a_worker, personas.grid_a, code="lecture", title="网格健康讲座")
    assert r.org == personas.grid_a


@pytest.mark.parametrize("who", ["worker_b", "inspector", "resident"])
def test_outsiders_and_readers_cannot_record_in_community_a(personas, who):
    with pytest.raises(PermissionDenied):
        make_record(getattr(personas, who), personas.community_a)


def test_area_bound_worker_cannot_record_outside_own_areas(personas):
    m = Membership.objects.get(user=personas.worker_b)
    m.areas.set([Area.objects.get(code="safety")])
    from shequ.accounts import access

    access.forget(personas.worker_b)
    make_record(personas.worker_b, personas.community_b, area="safety", code="patrol", title="夜间巡逻")
    with pytest.raises(PermissionDenied):
        make_record(personas.worker_b, personas.community_b, area="health", code="lecture")


def test_street_leader_may_record_for_a_community_below(personas):
    r = make_record(personas.supervisor, personas.community_b, code="lecture")
    assert r.org == personas.community_b


def test_required_extra_field_is_enforced_with_a_chinese_message(personas):
    with pytest.raises(ValidationError) as exc:
        make_record(personas.worker_a, personas.community_a, extra={"issue_no": 2})
    assert "宣传栏位置" in str(exc.value)


def test_unknown_extra_field_is_refused(personas):
    with pytest.raises(ValidationError):
        make_record(personas.worker_a, personas.community_a, code="lecture", extra={"colour": "red"})


def test_future_date_is_refused(personas):
    with pytest.raises(ValidationError):
        make_record(personas.worker_a, personas.community_a, on=date(2099, 1, 1))


def test_create_update_delete_write_audit_rows(personas):
    r = make_record(personas.worker_a, personas.community_a, code="lecture", title="讲座")
    services.record_update(actor=personas.worker_a, record=r, title="高血压讲座")
    pk = r.pk
    services.record_delete(actor=personas.worker_a, record=r)
    rows = list(AuditLog.objects.filter(object_type="records.record", object_id=str(pk)).order_by("id"))
    assert [a.action for a in rows] == ["record.create", "record.update", "record.delete"]
    assert rows[1].detail["changes"]["title"] == ["讲座", "高血压讲座"]
    assert rows[0].actor_org_id == personas.community_a.pk
    assert not Record.objects.filter(pk=pk).exists()


def test_photos_are_cleaned_and_stored_with_thumbnails(personas):
    r = make_record(
        personas.worker_a, personas.community_a, photos=[image_upload("secret-name.jpg", size=(2400, 1200))]
    )
    photo = r.photos.get()
    assert photo.width == 1920 and photo.height == 960
    assert photo.thumb and photo.image.name.endswith(".jpg")
    assert "secret-name" not in photo.image.name  # the uploader's file name is not kept


def test_non_image_is_refused_and_nothing_is_saved(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("fake.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_record(personas.worker_a, personas.community_a, photos=[image_upload(), fake])
    assert "不是有效的图片" in str(exc.value.message_dict["photos"])
    assert not Record.objects.exists() and not RecordPhoto.objects.exists()


def test_attachment_extension_and_size_are_checked(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("setup.exe", b"MZ....", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        make_record(personas.worker_a, personas.community_a, attachments=[exe])
    assert "不允许" in str(exc.value)
    pdf = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    r = make_record(personas.worker_a, personas.community_a, attachments=[pdf])
    assert r.attachments.get().name == "签到表.pdf"


def test_removing_a_photo_deletes_its_row(personas, django_capture_on_commit_callbacks):
    r = make_record(personas.worker_a, personas.community_a, photos=[image_upload(), image_upload("b.png", fmt="PNG")])
    first = r.photos.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_update(actor=personas.worker_a, record=r, remove_photo_ids=[first.pk])
    assert list(r.photos.values_list("pk", flat=True)) != [first.pk]
    assert r.photos.count() == 1
    assert not first.image.storage.exists(first.image.name)


# --- the closed year ------------------------------------------------------------------------------


def test_leader_closes_a_year_and_records_become_read_only(personas):
    r = make_record(personas.worker_a, personas.community_a, on=date(2024, 5, 1))
    closure = services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)
    assert AuditLog.objects.filter(action="year.close", object_id=str(closure.pk)).exists()
    for attempt in (
        lambda: make_record(personas.worker_a, personas.community_a, on=date(2024, 6, 1)),
        lambda: services.record_update(actor=personas.worker_a, record=r, title="改"),
        lambda: services.record_delete(actor=personas.worker_a, record=r),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "2024年度已关账" in str(exc.value)
    # other years stay open
    make_record(personas.worker_a, personas.community_a, on=date(2025, 1, 3))


def test_record_cannot_be_moved_into_a_closed_year(personas):
    services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)
    r = make_record(personas.worker_a, personas.community_a, on=date(2025, 1, 3))
    with pytest.raises(ValidationError):
        services.record_update(actor=personas.worker_a, record=r, date=date(2024, 12, 30))


def test_closing_the_street_closes_its_communities(personas):
    services.year_close(actor=personas.supervisor, org=personas.street, year=2024)
    with pytest.raises(ValidationError):
        ensure_year_open(personas.grid_a, 2024)
    ensure_year_open(personas.community_c, 2024)
    with pytest.raises(ValidationError):  # already closed above
        services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)


@pytest.mark.parametrize("who", ["worker_a", "grid_a_worker", "inspector", "worker_b"])
def test_only_leaders_and_admins_close_a_year(personas, who):
    with pytest.raises(PermissionDenied):
        services.year_close(actor=getattr(personas, who), org=personas.community_a, year=2024)


def test_a_future_year_cannot_be_closed(personas):
    with pytest.raises(ValidationError):
        services.year_close(actor=personas.admin, org=personas.community_a, year=2099)


def test_only_an_administrator_reopens_and_it_is_audited(personas):
    closure = services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)
    for who in (personas.leader_a, personas.supervisor):
        with pytest.raises(PermissionDenied):
            services.year_reopen(actor=who, closure=closure)
    services.year_reopen(actor=personas.admin, closure=closure, reason="补录遗漏的讲座")
    assert not YearClosure.objects.exists()
    row = AuditLog.objects.get(action="year.reopen")
    assert row.detail["year"] == 2024 and row.detail["reason"] == "补录遗漏的讲座"
    make_record(personas.worker_a, personas.community_a, on=date(2024, 6, 1))


# --- activity types --------------------------------------------------------------------------------


def test_administrator_adds_a_type_with_its_own_fields(personas):
    t = services.activity_type_create(
        actor=personas.admin,
        area=Area.objects.get(code="selfgov"),
        code="elderly_visit",
        name="高龄老人走访",
        extra_fields_schema=[{"name": "visited", "label": "走访人数", "kind": "int", "required": True}],
    )
    r = services.record_create(
        actor=personas.worker_a, org=personas.community_a, activity_type=t, date=date(2025, 2, 2), title="走访",
        extra={"visited": "12"},
    )  # fmt: skip
    assert r.extra == {"visited": 12}
    assert AuditLog.objects.filter(action="activity_type.create").exists()


def test_workers_cannot_change_types_and_bad_schema_is_refused(personas):
    area = Area.objects.get(code="selfgov")
    with pytest.raises(PermissionDenied):
        services.activity_type_create(actor=personas.leader_a, area=area, code="x", name="x")
    with pytest.raises(ValidationError):
        services.activity_type_create(
            actor=personas.admin, area=area, code="y", name="y", extra_fields_schema=[{"name": "k", "kind": "choice"}]
        )
    with pytest.raises(ValidationError) as exc:
        services.activity_type_create(actor=personas.admin, area=area, code="council", name="重复")
    assert "已有代码" in str(exc.value)


def test_inactive_type_cannot_be_recorded(personas):
    t = activity_type("health", "video")
    t.is_active = False
    t.save()
    with pytest.raises(ValidationError):
        make_record(personas.worker_a, personas.community_a, code="video")


def test_sign_in_persons_must_be_visible_to_the_actor(personas):
    from shequ.residents.models import Person

    mine = Person.objects.create(org=personas.community_a, name="张三")
    theirs = Person.objects.create(org=personas.community_b, name="李四")
    r = make_record(personas.worker_a, personas.community_a, code="lecture", persons=[mine.pk])
    assert list(r.persons.all()) == [mine]
    with pytest.raises(ValidationError):
        make_record(personas.worker_a, personas.community_a, code="lecture", persons=[mine.pk, theirs.pk])


def test_membership_in_a_unit_records_for_the_unit(personas):
    from shequ.testing.factories import OrgFactory

    school = OrgFactory(name="中心小学", kind="unit", unit_type="school", parent=personas.street)
    officer = member(school, Role.WORKER, areas=[Area.objects.get(code="school")])
    r = make_record(officer, school, area="school", code="drill", title="消防疏散演练")
    assert r.org == school
    with pytest.raises(PermissionDenied):
        make_record(officer, personas.community_a, area="school", code="drill")


def test_grid_worker_signs_in_residents_of_their_grid_not_of_the_rest_of_the_community(personas):
    from shequ.residents.models import Person

    in_grid = Person.objects.create(org=personas.community_a, grid=personas.grid_a, name="网格居民")
    elsewhere = Person.objects.create(org=personas.community_a, name="社区其他居民")
    r = make_record(
        personas.grid_a_worker, personas.grid_a, area="disability", code="home_visit", title="入户走访",
        extra={"households": 1}, persons=[in_grid.pk],
    )  # fmt: skip
    assert list(r.persons.all()) == [in_grid]
    with pytest.raises(ValidationError, match="不在您管辖范围内"):
        make_record(
            personas.grid_a_worker, personas.grid_a, area="disability", code="home_visit", title="入户走访",
            extra={"households": 1}, persons=[in_grid.pk, elsewhere.pk],
        )  # fmt: skip
