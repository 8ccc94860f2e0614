import io

import openpyxl
import pytest
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.residents import selectors
from shequ.residents.imports import jobs
from shequ.residents.models import Household, ImportJob, Person, Relation
from shequ.residents.tests.helpers import area_worker, bulk_persons, new_id, register
from shequ.residents.tests.test_imports import good_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(personas):
    return register(personas.worker_a, personas.community_a, name="张三", id_number="11010519491231002X")


def test_list_shows_masked_numbers_only(personas, zhang, client_for):
    html = client_for(personas.leader_a).get("/residents/").content.decode()
    assert "110105********002X" in html and "11010519491231002X" not in html


def test_whole_number_is_shown_on_request_and_audited(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    detail = c.get(f"/residents/{zhang.pk}/").content.decode()
    assert "11010519491231002X" not in detail and "查看完整号码" in detail
    response = c.post(f"/residents/{zhang.pk}/reveal/")
    assert "11010519491231002X" in response.content.decode()
    log = AuditLog.objects.get(action="person.view_id")
    assert log.actor == personas.worker_a and log.object_id == str(zhang.pk)


def test_grid_worker_gets_no_reveal_button_and_403(personas, client_for):
    p = register(personas.worker_a, personas.community_a, grid=personas.grid_a)
    c = client_for(personas.grid_a_worker)
    assert "查看完整号码" not in c.get(f"/residents/{p.pk}/").content.decode()
    assert c.post(f"/residents/{p.pk}/reveal/").status_code == 403


def test_worker_of_other_community_gets_404(personas, zhang, client_for):
    assert client_for(personas.worker_b).get(f"/residents/{zhang.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["zs", "zhangs", "zhangsan", "张", "张三", "002X", "31002x", "幸福"])
def test_search_finds_by_name_pinyin_initials_id_tail_and_address(personas, client_for, query):
    p = register(
        personas.worker_a, personas.community_a, name="张三", id_number="11010519491231002X", estate="幸福家园"
    )
    register(personas.worker_a, personas.community_a, name="李四", estate="阳光花园")
    html = client_for(personas.worker_a).get("/residents/", {"q": query}).content.decode()
    assert f"/residents/{p.pk}/" in html and "李四" not in html


@pytest.mark.parametrize("query", ["zs", "zhangs", "张"])
def test_a_district_wide_search_names_the_orgs_and_finds_every_community(personas, client_for, query):
    # The administrator holds the whole tree: the search lists its orgs so that the (org, name…) indexes serve it.
    a = register(personas.worker_a, personas.community_a, name="张三")
    b = register(personas.worker_b, personas.community_b, name="张珊")
    register(personas.worker_b, personas.community_b, name="李四")
    q = selectors.search_for(personas.admin, query)
    assert "org_id__in" in str(q) and selectors.search_for(personas.worker_a, query) == selectors.search_q(query)
    html = client_for(personas.admin).get("/residents/", {"q": query}).content.decode()
    assert f"/residents/{a.pk}/" in html and f"/residents/{b.pk}/" in html and "李四" not in html
    assert {p.pk for p in selectors.person_pick(personas.admin, query)} == {a.pk, b.pk}


@pytest.mark.parametrize("term", ["13912345678", "139 1234 5678", "+86 139-1234-5678", "5678"])
def test_search_by_whole_phone_or_its_last_four(personas, client_for, term):
    register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    register(personas.worker_a, personas.community_a, name="赵六", phone="13800000000")
    # a number of seven digits or more is posted, never put in the address (see test_search_addresses)
    html = client_for(personas.worker_a).post("/residents/", {"q": term}, follow=True).content.decode()
    assert "王五" in html and "赵六" not in html


def test_a_landline_is_found_however_it_is_written(personas, client_for):
    register(personas.worker_a, personas.community_a, name="王五", phone="010-62345678")
    for term in ("01062345678", "(010)62345678", "010 6234 5678"):
        html = client_for(personas.worker_a).post("/residents/", {"q": term}, follow=True).content.decode()
        assert "王五" in html, term


def test_htmx_refresh_returns_only_the_results(personas, zhang, client_for):
    response = client_for(personas.worker_a).get(
        "/residents/", {"q": "zs"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="person-results"
    )
    html = response.content.decode()
    assert "张三" in html and "<html" not in html


# The page shell (session, grants, the actor's scope, navigation, other parts' bell) takes about ten queries of
# its own; the list reads the page's ids, then those rows with what they show.
BUDGET = 19  # the page, the scope, the shell (nav, menu, second factor, bell) and the rows


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_and_household_pages_run_the_same_queries_at_10_and_1000_persons(personas, client_for):
    hh = Household.objects.create(org=personas.community_a, number="Q-0")
    bulk_persons(personas.community_a, 10, household=hh, grid=personas.grid_a)
    c = client_for(personas.leader_a)
    urls = ["/residents/", f"/residents/households/{hh.pk}/", "/residents/?q=z", "/residents/?profile=disability"]
    c.get(urls[0])
    small = [_count(c, u) for u in urls]
    bulk_persons(personas.community_a, 990, household=hh, grid=personas.grid_a, start=10)
    assert [_count(c, u) for u in urls] == small


def _list_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get("/residents/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", [10, 1000])
def test_person_list_query_count_is_fixed(personas, client_for, django_assert_max_num_queries, n):
    hh = Household.objects.create(org=personas.community_a, number="Q-1")
    bulk_persons(personas.community_a, n, household=hh, grid=personas.grid_a)
    c = client_for(personas.leader_a)
    c.get("/residents/")  # warm the session
    response = _list_queries(c, django_assert_max_num_queries, BUDGET)
    assert response.content.decode().count('data-label="姓名"') == min(n, 50)


@pytest.mark.parametrize("n", [10, 1000])
def test_household_page_query_count_is_fixed(personas, client_for, django_assert_max_num_queries, n):
    hh = Household.objects.create(org=personas.community_a, number="Q-2")
    bulk_persons(personas.community_a, n, household=hh)
    c = client_for(personas.leader_a)
    c.get(f"/residents/households/{hh.pk}/")
    with django_assert_max_num_queries(BUDGET + 1):  # and the cases its members are in (one query)
        response = c.get(f"/residents/households/{hh.pk}/")
    assert response.content.decode().count('data-label="姓名"') == n


def test_household_page_shows_members_with_their_profiles(personas, client_for):
    from shequ.residents import services

    head = register(personas.worker_a, personas.community_a, household_number="H-8", relation=Relation.HEAD)
    services.profile_save(actor=personas.worker_a, person=head, kind="disability", category="4", grade="3")
    html = client_for(personas.worker_a).get(f"/residents/households/{head.household_id}/").content.decode()
    assert "肢体残疾" in html and head.id_masked in html


def _xlsx_values(response) -> list[list]:
    """The roster's header row and its data rows (numbered), without the title and signature rows."""
    content = b"".join(response.streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return [rows[2], *(r for r in rows[3:] if isinstance(r[0], int))]


def _roster(personas) -> str:
    return reverse("ledgers:export_undated", args=["residents", personas.community_a.pk, "xlsx"])


def test_export_is_masked_by_default(personas, zhang, client_for):
    response = client_for(personas.worker_a).get(_roster(personas))
    rows = _xlsx_values(response)
    assert rows[0][:4] == ["序号", "姓名", "证件类型", "证件号码"]
    assert rows[1][3] == "110105********002X"
    assert not AuditLog.objects.filter(action="person.view_id").exists()


def test_export_with_whole_numbers_is_audited_and_refused_to_inspectors(personas, zhang, client_for):
    rows = _xlsx_values(client_for(personas.worker_a).get(_roster(personas), {"whole": "1"}))
    assert rows[1][3] == "11010519491231002X"
    log = AuditLog.objects.get(action="person.view_id")
    assert log.detail["export"] and list(log.persons.values_list("person_id", flat=True)) == [zhang.pk]
    export = AuditLog.objects.get(action="ledger.export")
    assert export.detail["ledger"] == "residents" and export.detail["whole"] == 1 and export.detail["rows"] == 1
    assert client_for(personas.inspector).get(_roster(personas), {"whole": "1"}).status_code == 403
    inspector_rows = _xlsx_values(client_for(personas.inspector).get(_roster(personas)))
    assert inspector_rows[1][3] == "110105********002X"


def test_export_follows_the_filter(personas, zhang, client_for):
    register(personas.worker_a, personas.community_a, name="李四")
    rows = _xlsx_values(client_for(personas.worker_a).get(_roster(personas), {"q": "ls"}))
    assert [r[1] for r in rows[1:]] == ["李四"]


def test_api_answers_are_masked_and_whole_view_is_audited(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    listed = c.get("/api/residents/persons").json()
    assert listed["items"][0]["id_number_masked"] == "110105********002X"
    assert "11010519491231002X" not in c.get(f"/api/residents/persons/{zhang.pk}").content.decode()
    whole = c.post(f"/api/residents/persons/{zhang.pk}/id-number").json()
    assert whole["id_number"] == "11010519491231002X"
    assert AuditLog.objects.filter(action="person.view_id", actor=personas.worker_a).count() == 1
    assert client_for(personas.inspector).post(f"/api/residents/persons/{zhang.pk}/id-number").status_code == 403
    assert client_for(personas.worker_b).get(f"/api/residents/persons/{zhang.pk}").status_code == 404


def test_create_form_keeps_typed_values_and_points_to_the_existing_person(personas, zhang, client_for):
    c = client_for(personas.leader_a)
    response = c.post(
        "/residents/new/",
        {"org": personas.community_a.pk, "name": "张三丰", "id_type": "resident", "id_number": "11010519491231002X"}
        | {"residence_status": "huji", "phone": "13700000000"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "13700000000" in html
    assert f"/residents/{zhang.pk}/" in html and "已登记" in html


def test_create_form_explains_a_bad_number(personas, client_for):
    response = client_for(personas.worker_a).post(
        "/residents/new/",
        {"org": personas.community_a.pk, "name": "某", "id_type": "resident", "id_number": "1101051949123100"}
        | {"residence_status": "huji"},
    )
    assert "应为18位，现在是16位" in response.content.decode()


def test_worker_without_safety_area_cannot_edit_special_groups(personas, client_for):
    p = register(personas.worker_a, personas.community_a)
    worker = area_worker(personas.community_a, "disability")
    assert client_for(worker).get(f"/residents/{p.pk}/profiles/special/").status_code == 404
    assert client_for(worker).get(f"/residents/{p.pk}/profiles/disability/").status_code == 200


def test_upload_check_confirm_flow(personas, client_for):
    c = client_for(personas.worker_a)
    upload = io.BytesIO(xlsx(good_rows(3)))
    upload.name = "居民.xlsx"
    response = c.post("/residents/imports/", {"org": personas.community_a.pk, "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "checked" and job.added == 3
    assert not Person.objects.exists()
    c.post(f"/residents/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "done" and Person.objects.count() == 3
    assert "已新增" in c.get(f"/residents/imports/{job.pk}/").content.decode()


def test_large_files_run_as_a_background_task(personas, client_for, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(jobs, "INLINE_LIMIT_BYTES", 0)
    from django_tasks.signals import task_enqueued

    enqueued = []

    def spy(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(spy)
    c = client_for(personas.worker_a)
    upload = io.BytesIO(xlsx(good_rows(2)))
    upload.name = "big.xlsx"
    c.post("/residents/imports/", {"org": personas.community_a.pk, "file": upload})
    job = ImportJob.objects.get()
    task_enqueued.disconnect(spy)
    assert enqueued == ["process_import"] and job.status == "checked"
    partial = c.get(f"/residents/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="checked"' in partial and "<html" not in partial


def test_running_job_page_polls_for_progress(personas, client_for):
    job = ImportJob.objects.create(
        org=personas.community_a, created_by=personas.worker_a, filename="x.xlsx", status="checking", total=100
    )
    job.processed = 40
    job.save()
    html = client_for(personas.worker_a).get(f"/residents/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html


def test_moves_page_lists_who_left(personas, client_for):
    from shequ.residents import services

    p = register(personas.worker_a, personas.community_a, name="周迁", id_number=new_id())
    services.person_move(actor=personas.supervisor, person=p, to_org=personas.community_b)
    html = client_for(personas.worker_a).get("/residents/moves/").content.decode()
    assert "周迁" in html and "社区B" in html
    assert client_for(personas.worker_a).get(f"/residents/{p.pk}/").status_code == 404


def test_the_filter_bar_names_each_grid_by_its_path(personas, client_for):
    from shequ.orgs.models import OrgKind
    from shequ.testing.factories import OrgFactory

    # Two communities' 第1网格 are told apart by the names above them, read once for the whole bar.
    for community in (personas.community_a, personas.community_b):
        OrgFactory(name="第1网格", kind=OrgKind.GRID, parent=community)
    html = client_for(personas.admin).get("/residents/").content.decode()
    assert "和平街道 / 社区A / 第1网格" in html and "和平街道 / 社区B / 第1网格" in html
    assert "明德区 /" not in html  # the district above everyone's path is left out
