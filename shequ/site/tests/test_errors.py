"""Shequ's own error pages: Chinese, inside the shell (the residents' shell for residents), with where to go."""

from __future__ import annotations

import re

from django.test import Client, RequestFactory
from django.urls import reverse

from shequ.site import errors

ENGLISH = re.compile(r"\b(Not Found|Forbidden|Bad Request|Server Error|CSRF|verification failed)\b")


def _text(response) -> str:
    return response.content.decode()


def test_404_for_a_worker_is_chinese_inside_the_worker_shell(personas, client_for):
    response = client_for(personas.worker_a).get("/records/999999/")
    body = _text(response)
    assert response.status_code == 404
    assert "页面不存在" in body and "不在您的管辖范围内" in body
    assert 'class="sidenav"' in body and 'href="/"' in body and "返回工作台" in body
    assert not ENGLISH.search(body)


def test_403_shows_the_servers_chinese_reason(personas, client_for):
    response = client_for(personas.worker_a).get(reverse("plans:task_edit", args=[_task(personas).pk]))
    body = _text(response)
    assert response.status_code == 403
    assert "没有权限" in body
    reason = re.search(r'data-testid="error-reason">([^<]+)<', body)
    assert reason and "权限" in reason.group(1)
    assert not ENGLISH.search(body)


def _task(p):
    from datetime import date

    from shequ.plans.models import Task

    return Task.objects.create(org=p.community_a, title="成立领导小组", year=2025, due=date(2025, 3, 31))


def test_a_resident_is_answered_inside_the_residents_shell(personas, client_for):
    response = client_for(personas.resident).get("/p/mine/999999/")
    body = _text(response)
    assert response.status_code == 404
    assert 'class="portal-nav"' in body and "返回居民端首页" in body and 'href="/p/"' in body
    assert "返回工作台" not in body


def test_anonymous_visitor_of_a_missing_portal_page_is_offered_the_login(db, client):
    body = _text(client.get("/p/no-such-page/"))
    assert "页面不存在" in body and "/login/?next=/p/no-such-page/" in body


def test_an_expired_form_says_so_in_chinese(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    body = _text(response)
    assert response.status_code == 403
    assert "页面已过期" in body and "刷新后重新提交" in body
    assert not ENGLISH.search(body)


def test_a_bad_request_is_chinese(db, client):
    response = client.get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "请求无法处理" in _text(response)


def test_a_server_error_page_needs_nothing_from_the_request():
    response = errors.server_error(RequestFactory().get("/"))
    body = _text(response)
    assert response.status_code == 500
    assert "系统出错了" in body and 'lang="zh-Hans"' in body and not ENGLISH.search(body)


def test_portal_menu_offers_reporting_only_to_those_who_may_report(personas, client_for):
    assert "我要反映" in _text(client_for(personas.resident).get(reverse("portal:home")))
    for staff in (personas.worker_a, personas.admin):
        assert "我要反映" not in _text(client_for(staff).get(reverse("portal:home")))
