from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator

from shequ.accounts.models import TokenScope, phone_validator
from shequ.accounts.roles import Role
from shequ.orgs.fields import OrgPathChoiceField
from shequ.orgs.models import Area


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "用户名/手机号或密码不正确。连续失败5次账号将被锁定30分钟。",
        "inactive": "该账号已停用。",
    }


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=11, required=False, validators=[phone_validator])
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(render_value=True), min_length=8)
    org = OrgPathChoiceField(label="组织", queryset=None)
    # No default: a forgotten choice must not make an administrator.
    role = forms.ChoiceField(
        label="角色",
        choices=[("", "请选择角色"), *Role.choices],
        error_messages={"required": "请选择角色（各角色能做什么见下方说明）。"},
    )
    areas = forms.ModelMultipleChoiceField(
        label="负责条线（专干必选）",
        queryset=Area.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label="职务", max_length=50, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100)
    scope = forms.ChoiceField(label="权限", choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label="有效期（天）", min_value=1, initial=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = settings.API_TOKEN_MAX_DAYS
        self.fields["days"].initial = settings.API_TOKEN_MAX_DAYS
        self.fields["days"].validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))


class MembershipForm(forms.Form):
    """A membership added to an account, or changed: the org (a grid worker's grid), the lines of work, the title."""

    org = OrgPathChoiceField(label="组织", queryset=None)
    role = forms.ChoiceField(
        label="角色", choices=[("", "请选择角色"), *Role.choices], error_messages={"required": "请选择角色。"}
    )
    areas = forms.ModelMultipleChoiceField(
        label="负责条线（专干必选）",
        queryset=Area.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label="职务", max_length=50, required=False)

    def __init__(self, *args, orgs, fixed_role: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if fixed_role:  # a membership's role is not changed: end it and add another
            del self.fields["role"]


class UserFilter(forms.Form):
    q = forms.CharField(label="姓名/用户名/手机号", required=False)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("active", "启用"), ("inactive", "停用"), ("idle", "90天未登录")],
    )
