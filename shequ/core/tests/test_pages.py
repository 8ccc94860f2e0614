import pytest
from django.urls import reverse

from shequ.testing.factories import OrgFactory


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok" and data["database"]["status"] == "ok"


def test_csp_allows_no_inline_script_or_style(personas, client_for):
    response = client_for(personas.worker_a).get(reverse("dashboard"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("n", [10, 300])
def test_org_list_query_count_is_fixed(personas, client_for, django_assert_max_num_queries, n):
    for i in range(n):
        OrgFactory(name=f"网格{i}", kind="grid", parent=personas.community_a)
    client = client_for(personas.supervisor)
    with django_assert_max_num_queries(11):  # one resolves the actor's scope
        response = client.get(reverse("orgs:list"))
    assert response.content.decode().count("/orgs/") >= n


def test_admin_creates_org_in_the_ui_and_form_keeps_input_on_error(personas, client_for):
    client = client_for(personas.admin)
    url = reverse("orgs:create", args=[personas.street.pk])
    response = client.post(url, {"kind": "community", "name": "新建社区", "division_code": "123"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "区划代码应为12位数字" in body and 'value="新建社区"' in body
    response = client.post(url, {"kind": "community", "name": "新建社区", "division_code": "420199001009"})
    assert response.status_code == 302


def test_admin_adds_an_area_without_code(personas, client_for):
    from shequ.orgs.models import Area

    client = client_for(personas.admin)
    response = client.post(
        reverse("orgs:area_create"), {"code": "civil", "name": "民政", "sort": 70, "is_active": "on"}
    )
    assert response.status_code == 302
    assert Area.objects.filter(code="civil", name="民政").exists()
    assert "民政" in client.get(reverse("orgs:areas")).content.decode()


def test_nul_characters_are_refused_not_a_server_error(personas, client_for):
    client = client_for(personas.worker_a)
    assert client.get("/api/orgs/", {"q": "a\x00b"}).status_code == 400
    assert client.post(reverse("orgs:create", args=[personas.community_a.pk]), {"name": "x\x00"}).status_code == 400


def test_resident_lands_on_the_residents_side(personas, client_for):
    response = client_for(personas.resident).get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:mine")
