"""The one form-post helper: the service's Chinese errors on the form, what was typed kept, success flashed."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from shequ.core.forms import action_post, form_post


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


class Refused(ValidationError):
    pass


def _request(method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_service_field_error_lands_on_its_field_and_keeps_what_was_typed():
    request = _request(data={"name": "张三", "note": "三楼"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "本社区已有此人。", "missing": "另一条说明。"})

    posted = form_post(request, form, refuse, success="已保存。")

    assert not posted and not posted.done_or_refused
    assert form.errors["name"] == ["本社区已有此人。"]
    assert form.non_field_errors() == ["另一条说明。"]
    assert form["note"].value() == "三楼"
    assert _texts(request) == []


def test_success_returns_the_result_and_flashes_a_message_made_from_it():
    request = _request(data={"name": "张三"})
    form = NameForm(request.POST)

    posted = form_post(request, form, lambda d: d["name"] + "户", success=lambda result: f"已建{result}。")

    assert posted and posted.result == "张三户"
    assert _texts(request) == ["已建张三户。"]


def test_invalid_form_or_get_never_calls_the_service():
    calls = []
    get = _request("get")
    assert not form_post(get, NameForm(), calls.append)
    post = _request(data={"name": ""})
    form = NameForm(post.POST)
    assert not form_post(post, form, calls.append)
    assert calls == []
    assert "name" in form.errors


def test_other_forms_posted_with_it_must_all_be_valid():
    request = _request(data={"name": "张三"})
    other = NameForm({"name": ""})
    calls = []
    form = NameForm(request.POST)
    assert not form_post(request, form, calls.append, also=(other, None))
    assert calls == [] and "name" in other.errors


def test_a_refusal_of_the_named_kind_becomes_a_message_not_a_form_error():
    request = _request(data={"name": "张三"})
    form = NameForm(request.POST)

    def refuse(data):
        raise Refused("此事项已办结，不能再转交。")

    posted = form_post(request, form, refuse, refusals=Refused)

    assert posted.done_or_refused and posted.refused and not posted.ok
    assert form.errors == {}
    assert _texts(request) == ["此事项已办结，不能再转交。"]


def test_action_post_shows_every_message_of_the_refusal_on_one_line():
    request = _request()

    def refuse():
        raise ValidationError(["年度已关账", "记录只读。", "请先重新开放。"])

    assert not action_post(request, refuse, success="已删除。")
    assert _texts(request) == ["年度已关账；记录只读。请先重新开放。"]


@pytest.mark.parametrize("success", ["已删除。", lambda result: f"已删除{result}。"])
def test_action_post_flashes_success(success):
    request = _request()
    posted = action_post(request, lambda: "1条", success=success)
    assert posted.result == "1条"
    assert _texts(request)[0].startswith("已删除")
