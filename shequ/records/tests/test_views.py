import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shequ.records import services
from shequ.records.models import Record
from shequ.records.tests.helpers import activity_type, bulk_records, image_upload, make_record

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    return {r.title for r in response.context["page"]}


# --- recording ---------------------------------------------------------------------------------------


def test_type_picker_offers_only_the_workers_areas(personas, client_for):
    from shequ.accounts import access
    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area

    Membership.objects.get(user=personas.worker_b).areas.set([Area.objects.get(code="safety")])
    access.forget(personas.worker_b)
    response = client_for(personas.worker_b).get(reverse("records:create"))
    areas = {a.code for a in response.context["groups"]}
    assert areas == {"safety"}
    assert "矛盾纠纷排查" in response.content.decode()


def test_form_prefills_today_and_the_acting_org(personas, client_for):
    t = activity_type("health", "board")
    response = client_for(personas.worker_a).get(reverse("records:create") + f"?type={t.pk}")
    form = response.context["form"]
    assert form.initial["date"] == date.today() or form.initial["date"].year >= 2025
    assert form.initial["org"] == personas.community_a.pk
    html = response.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert "期数" in html and "宣传栏位置" in html  # the type's own fields


def test_worker_records_a_board_change_with_a_photo(personas, client_for):
    t = activity_type("health", "board")
    c = client_for(personas.worker_a)
    response = c.post(
        reverse("records:create"),
        {
            "type": t.pk,
            "org": personas.community_a.pk,
            "date": "2025-05-16",
            "title": "第9期 防溺水",
            "place": "服务站门口",
            "x_issue_no": "9",
            "x_location": "1号宣传栏",
            "x_archive": ["图片材料", "书面材料"],
            "photos": [image_upload()],
        },
    )
    record = Record.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.pk])
    assert record.extra == {"issue_no": 9, "location": "1号宣传栏", "archive": ["图片材料", "书面材料"]}
    assert record.photos.count() == 1 and record.year == 2025
    detail = c.get(response["Location"])
    assert "1号宣传栏" in detail.content.decode()


def test_failed_form_keeps_what_was_typed_and_asks_for_photos_again(personas, client_for):
    t = activity_type("health", "board")
    response = client_for(personas.worker_a).post(
        reverse("records:create"),
        {
            "type": t.pk,
            "org": personas.community_a.pk,
            "date": "2025-05-16",
            "title": "第9期 防溺水宣传",
            "place": "社区广场东侧",
            "x_issue_no": "9",
            "x_location": "",  # required
            "x_archive": ["图片材料"],
            "content": "更换了宣传栏的全部内容",
            "photos": [image_upload()],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "第9期 防溺水宣传" in html and "社区广场东侧" in html and "更换了宣传栏的全部内容" in html
    assert re.search(r'value="图片材料"[^>]*checked', html) and not re.search(r'value="书面材料"[^>]*checked', html)
    assert "重新选择照片" in html
    assert not Record.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_on_the_form(personas, client_for):
    t = activity_type("health", "lecture")
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client_for(personas.worker_a).post(
        reverse("records:create"),
        {
            "type": t.pk,
            "org": personas.community_a.pk,
            "date": "2025-03-01",
            "title": "健康讲座",
            "photo_files": [fake],
        },
    )
    assert response.status_code == 200
    assert "不是有效的图片文件" in response.content.decode()
    assert not Record.objects.exists()


def test_worker_cannot_record_for_another_community_by_posting_its_id(personas, client_for):
    t = activity_type("health", "lecture")
    response = client_for(personas.worker_a).post(
        reverse("records:create"),
        {"type": t.pk, "org": personas.community_b.pk, "date": "2025-03-01", "title": "讲座"},
    )
    assert response.status_code == 200 and "org" in response.context["form"].errors
    assert not Record.objects.exists()


def test_edit_keeps_extra_values_and_removes_a_photo(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a, photos=[image_upload(), image_upload("b.jpg")])
    photo = r.photos.first()
    c = client_for(personas.worker_a)
    page = c.get(reverse("records:edit", args=[r.pk]))
    assert page.context["form"]["x_location"].value() == "服务站门口宣传栏"
    response = c.post(
        reverse("records:edit", args=[r.pk]),
        {
            "date": "2025-03-05",
            "title": "控烟宣传(改)",
            "x_issue_no": "1",
            "x_location": "2号栏",
            "remove_photos": [photo.pk],
        },
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.title == "控烟宣传(改)" and r.extra["location"] == "2号栏" and r.photos.count() == 1


def test_closed_year_hides_edit_and_refuses_the_edit_page(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a, on=date(2024, 4, 1))
    services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)
    c = client_for(personas.worker_a)
    detail = c.get(reverse("records:detail", args=[r.pk]))
    html = detail.content.decode()
    assert 'data-testid="edit"' not in html and "已关账" in html
    assert c.get(reverse("records:edit", args=[r.pk])).status_code == 302
    assert c.post(reverse("records:delete", args=[r.pk])).status_code == 302
    assert Record.objects.filter(pk=r.pk).exists()


def test_delete_asks_then_deletes(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a)
    c = client_for(personas.worker_a)
    assert "确定删除" in c.get(reverse("records:delete", args=[r.pk])).content.decode()
    assert c.post(reverse("records:delete", args=[r.pk])).status_code == 302
    assert not Record.objects.exists()


def test_reader_sees_but_cannot_edit(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a)
    c = client_for(personas.inspector)
    assert 'data-testid="edit"' not in c.get(reverse("records:detail", args=[r.pk])).content.decode()
    assert c.get(reverse("records:edit", args=[r.pk])).status_code == 403


# --- scope and filters ------------------------------------------------------------------------------


def test_community_b_never_sees_a_and_the_street_sees_both(personas, client_for):
    a = make_record(personas.worker_a, personas.community_a, title="A的讲座", code="lecture")
    b = make_record(personas.worker_b, personas.community_b, title="B的讲座", code="lecture")
    assert _titles(client_for(personas.worker_b).get(reverse("records:list"))) == {"B的讲座"}
    assert client_for(personas.worker_b).get(reverse("records:detail", args=[a.pk])).status_code == 404
    assert (
        client_for(personas.worker_b)
        .get(reverse("records:list") + f"?org={personas.community_a.pk}")
        .context["page"]
        .paginator.count
        == 0
    )  # an org outside scope filters to nothing, as one that does not exist: it never widens the view
    assert _titles(client_for(personas.supervisor).get(reverse("records:list"))) == {"A的讲座", "B的讲座"}
    assert client_for(personas.supervisor).get(reverse("records:detail", args=[b.pk])).status_code == 200


def test_photos_and_files_of_other_communities_are_404(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = make_record(
        personas.worker_a,
        personas.community_a,
        photos=[image_upload()],
        attachments=[SimpleUploadedFile("底稿.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    photo, att = r.photos.get(), r.attachments.get()
    outsider, insider = client_for(personas.worker_b), client_for(personas.worker_a)
    assert outsider.get(reverse("records:photo", args=[photo.pk])).status_code == 404
    assert outsider.get(reverse("records:attachment", args=[att.pk])).status_code == 404
    ok = insider.get(reverse("records:photo", args=[photo.pk]) + "?size=thumb")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    dl = insider.get(reverse("records:attachment", args=[att.pk]))
    assert dl.status_code == 200 and "attachment" in dl["Content-Disposition"]


def test_area_bound_worker_sees_only_own_areas(personas, client_for):
    from shequ.accounts import access
    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area

    make_record(personas.worker_a, personas.community_a, title="健康", code="lecture")
    make_record(personas.worker_a, personas.community_a, title="巡逻", area="safety", code="patrol")
    Membership.objects.get(user=personas.worker_a).areas.set([Area.objects.get(code="safety")])
    access.forget(personas.worker_a)
    assert _titles(client_for(personas.worker_a).get(reverse("records:list"))) == {"巡逻"}


def test_drill_down_params_filter_the_list(personas, client_for):
    lecture = activity_type("health", "lecture")
    make_record(personas.worker_a, personas.community_a, title="A一月", code="lecture", on=date(2025, 1, 10))
    make_record(personas.grid_a_worker, personas.grid_a, title="网格二月", code="lecture", on=date(2025, 2, 10))
    make_record(personas.worker_a, personas.community_a, title="A宣传栏", on=date(2025, 2, 12))
    make_record(personas.worker_a, personas.community_a, title="A去年", code="lecture", on=date(2024, 2, 12))
    make_record(personas.worker_b, personas.community_b, title="B二月", code="lecture", on=date(2025, 2, 10))
    make_record(
        personas.worker_a, personas.community_a, title="A巡逻", area="safety", code="patrol", on=date(2025, 2, 1)
    )
    c = client_for(personas.supervisor)
    url = reverse("records:list")
    a = personas.community_a.pk
    assert _titles(c.get(url, {"org": a, "year": 2025})) == {"A一月", "网格二月", "A宣传栏", "A巡逻"}
    assert _titles(c.get(url, {"org": a, "area": "safety"})) == {"A巡逻"}
    assert _titles(c.get(url, {"org": a, "type": lecture.pk, "year": 2025})) == {"A一月", "网格二月"}
    feb = {"date_from": "2025-02-01", "date_to": "2025-02-28"}
    assert _titles(c.get(url, {"org": a, "type": lecture.pk, **feb})) == {"网格二月"}
    assert _titles(c.get(url, {"type": lecture.pk, **feb})) == {"网格二月", "B二月"}
    bad = c.get(url, {"year": "bad", "date_from": "nope"})  # malformed values are refused in Chinese, not ignored
    assert _titles(bad) == set() and "输入一个有效的日期" in bad.content.decode()


# --- query-count guards --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 1000])
def test_list_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_records(personas.community_a, n, by=personas.worker_a)
    c = client_for(personas.supervisor)
    c.get(reverse("records:list"))  # warm the session
    # one reads the session's second factor, one resolves the actor's scope
    with django_assert_max_num_queries(16):
        response = c.get(reverse("records:list"), {"org": personas.community_a.pk, "year": 2025})
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [10, 1000])
def test_detail_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    from shequ.residents.models import Person

    people = Person.objects.bulk_create([Person(org=personas.community_a, name=f"居民{i}") for i in range(n)])
    r = make_record(personas.worker_a, personas.community_a, photos=[image_upload(), image_upload("b.jpg")])
    r.persons.set(people)
    bulk_records(personas.community_a, n)
    c = client_for(personas.worker_a)
    c.get(reverse("records:detail", args=[r.pk]))
    with django_assert_max_num_queries(15):  # one resolves the actor's scope
        response = c.get(reverse("records:detail", args=[r.pk]))
    assert response.status_code == 200 and f"签到名单（{n}人）" in response.content.decode()


def test_person_search_finds_only_people_in_scope(personas, client_for):
    from shequ.residents.models import Person

    Person.objects.create(org=personas.community_a, name="张三")
    Person.objects.create(org=personas.community_b, name="张四")
    html = (
        client_for(personas.worker_a)
        .post(reverse("residents:person_pick") + "?field=persons&multi=1", {"q": "张"})
        .content.decode()
    )
    assert "张三" in html and "张四" not in html


# --- year closing and types pages ---------------------------------------------------------------------


def test_year_page_closes_and_admin_reopens(personas, client_for):
    leader = client_for(personas.leader_a)
    assert leader.get(reverse("records:years")).status_code == 200
    response = leader.post(reverse("records:year_close"), {"org": personas.community_a.pk, "year": 2024})
    assert response.status_code == 302
    from shequ.records.models import YearClosure

    closure = YearClosure.objects.get()
    assert leader.post(reverse("records:year_reopen", args=[closure.pk])).status_code == 403
    worker = client_for(personas.worker_a)
    assert worker.post(reverse("records:year_close"), {"org": personas.community_a.pk, "year": 2023}).status_code == 403
    assert (
        client_for(personas.admin)
        .post(reverse("records:year_reopen", args=[closure.pk]), {"reason": "补录"})
        .status_code
        == 302
    )
    assert not YearClosure.objects.exists()


def test_admin_adds_a_type_in_the_ui(personas, client_for):
    from shequ.orgs.models import Area

    c = client_for(personas.admin)
    response = c.post(
        reverse("records:type_create"),
        {
            "area": Area.objects.get(code="education").pk,
            "code": "calligraphy",
            "name": "书法班",
            "sort": 5,
            "is_active": "on",
            "extra_fields": '[{"name": "teacher", "label": "授课老师", "kind": "text"}]',
        },
    )
    assert response.status_code == 302
    bad = c.post(
        reverse("records:type_create"),
        {"area": Area.objects.get(code="education").pk, "code": "x", "name": "x", "extra_fields": "[{oops"},
    )
    assert "不是有效的JSON" in bad.content.decode()
    assert client_for(personas.leader_a).get(reverse("records:type_create")).status_code == 403
    assert "书法班" in client_for(personas.worker_a).get(reverse("records:types")).content.decode()


def test_dashboard_shows_record_cards(personas, client_for):
    make_record(personas.worker_a, personas.community_a, code="lecture", on=date.today())
    html = client_for(personas.worker_a).get(reverse("dashboard")).content.decode()
    assert "各月工作记录（按条线）" in html and "本月1条" in html


def test_a_huge_list_counts_up_to_a_cap_and_asks_for_a_filter(personas, client_for, monkeypatch):
    from shequ.records import selectors

    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 5)
    bulk_records(personas.community_a, 8)
    response = client_for(personas.worker_a).get(reverse("records:list"))
    assert response.context["page"].paginator.count == 5
    assert 'data-testid="capped"' in response.content.decode()


def test_a_title_search_counts_to_its_own_smaller_cap_and_names_the_word(personas, client_for, monkeypatch):
    from shequ.records import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 10)
    bulk_records(personas.community_a, 8)
    client = client_for(personas.worker_a)
    listed = client.get(reverse("records:list"))
    assert listed.context["page"].paginator.count == 8 and 'data-testid="capped"' not in listed.content.decode()
    found = client.get(reverse("records:list"), {"q": "讲座"})
    assert found.context["page"].paginator.count == 3
    assert "主题含“讲座”的记录超过3条" in found.content.decode()
    few = client.get(reverse("records:list"), {"q": "讲座7"})
    assert few.context["page"].paginator.count == 1 and 'data-testid="capped"' not in few.content.decode()


def test_inspection_record_offers_to_register_the_hazard_found(personas, client_for):
    record = make_record(personas.admin, personas.community_a, area="school", code="inspection", title="开学前安全检查")
    client = client_for(personas.leader_a)
    body = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    link = f"{reverse('cases:create')}?type=hazard&amp;record={record.pk}"
    assert link in body
    assert client.get(link.replace("&amp;", "&")).status_code == 200
    lecture = make_record(personas.admin, personas.community_a, code="lecture", title="讲座")
    assert "登记发现的隐患" not in client.get(reverse("records:detail", args=[lecture.pk])).content.decode()


def test_grid_worker_finds_residents_of_their_grid_for_the_sign_in_list(personas, client_for):
    from shequ.residents.models import Person

    Person.objects.create(org=personas.community_a, grid=personas.grid_a, name="王网格")
    Person.objects.create(org=personas.community_a, name="王社区")
    url = reverse("residents:person_pick")
    html = client_for(personas.grid_a_worker).post(url + "?field=persons&multi=1", {"q": "王"}).content.decode()
    assert "王网格" in html and 'type="checkbox" name="persons"' in html
    assert "王社区" not in html
