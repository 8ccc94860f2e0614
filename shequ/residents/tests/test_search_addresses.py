"""A whole ID or phone number typed into the registry's search never stands in an address (URL, access log)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from shequ.residents.tests.helpers import bulk_persons, register

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def zhang(personas):
    return register(personas.worker_a, personas.community_a, name="张三", id_number=ID_NUMBER, phone=PHONE)


@pytest.mark.parametrize("term", [ID_NUMBER, PHONE, "138 1234 5678"])
def test_searching_a_whole_number_posts_it_and_the_address_carries_it_sealed(personas, zhang, client_for, term):
    c = client_for(personas.worker_a)
    response = c.post("/residents/", {"q": term}, follow=True)
    address = response.redirect_chain[-1][0]
    digits = term.replace(" ", "")
    assert digits not in unquote(address) and digits[:7] not in unquote(address) and "qk=" in address
    page = response.content.decode()
    assert f'href="/residents/{zhang.pk}/">张三' in page and "共 1 条" in page
    assert f'value="{term}"' in page  # the box still shows what was typed (in the page, not in its address)
    assert 'method="post"' in page


def test_htmx_search_answers_with_the_sealed_address_to_push(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    response = c.post("/residents/", {"q": PHONE}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="person-results")
    assert response.status_code == 200 and "张三" in response.content.decode()
    assert PHONE not in response["HX-Push-Url"] and "qk=" in response["HX-Push-Url"]


def test_pages_and_exports_of_a_number_search_carry_it_sealed(personas, client_for):
    bulk_persons(personas.community_a, 60)
    c = client_for(personas.leader_a)
    response = c.post("/residents/", {"q": "1391234"}, follow=True)  # a phone prefix: 7 digits
    html = response.content.decode()
    assert "1391234" not in unquote(response.redirect_chain[-1][0])
    hrefs = [h for h in html.split('href="')[1:] if h.startswith(("?", "/ledgers/"))]
    assert hrefs and all("1391234" not in unquote(h.split('"')[0]) for h in hrefs)


def test_short_terms_stay_in_the_address(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    response = c.post("/residents/", {"q": "zs"})
    assert response.status_code == 302 and response["Location"] == "/residents/?q=zs"
    assert "张三" in c.get("/residents/?q=002X").content.decode()  # the last digits of an ID: short


def test_an_old_link_with_a_whole_number_is_sent_to_the_sealed_address(personas, zhang, client_for):
    response = client_for(personas.worker_a).get(f"/residents/?q={ID_NUMBER}")
    assert response.status_code == 302 and ID_NUMBER not in response["Location"] and "qk=" in response["Location"]


def test_a_sealed_term_opens_only_for_the_user_it_was_made_for(personas, zhang, client_for):
    mine = client_for(personas.worker_a).post("/residents/", {"q": ID_NUMBER})["Location"]
    theirs = client_for(personas.leader_a).get(mine).content.decode()
    assert ID_NUMBER not in theirs and 'value="11010519491231002X"' not in theirs


def test_the_picker_takes_its_term_in_the_body(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    response = c.post("/residents/pick/?field=persons&multi=1", {"persons-q": PHONE})
    assert response.status_code == 200 and "张三" in response.content.decode()


def test_api_refuses_a_whole_number_in_the_url_and_searches_it_by_post(personas, zhang, client_for):
    c = client_for(personas.worker_a)
    refused = c.get(f"/api/residents/persons?q={ID_NUMBER}")
    assert refused.status_code == 400 and "POST /api/residents/persons/search" in str(refused.json()["detail"])
    found = c.post("/api/residents/persons/search", {"q": ID_NUMBER}, content_type="application/json")
    assert found.status_code == 200 and [p["id"] for p in found.json()["items"]] == [zhang.pk]
    assert c.get("/api/residents/persons?q=zs").status_code == 200


def test_a_read_only_token_may_search_by_post(personas, client, zhang):
    from shequ.accounts.models import TokenScope
    from shequ.accounts.services import token_create

    _token, key = token_create(actor=personas.worker_a, name="脚本", scope=TokenScope.READ)
    found = client.post(
        "/api/residents/persons/search",
        {"q": PHONE},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert found.status_code == 200 and found.json()["count"] == 1


def test_a_form_encoded_post_to_the_search_is_a_422_not_a_500(personas, client_for):
    response = client_for(personas.worker_a).post("/api/residents/persons/search", {"q": "zs"})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
