"""The admin site over accounts and the org tree: every change here is audited (``AuditedAdmin``).

The org tree and areas are registered here rather than in ``orgs``, which sits below the log.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from shequ.accounts.models import ApiToken, Membership, User, phone_q, phone_validator
from shequ.audit.admin import AuditedAdmin
from shequ.core.forms import EncryptedPhonesForm
from shequ.orgs.models import Area, Org


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org"]


class UserAdminForm(EncryptedPhonesForm, UserChangeForm):
    """The admin's user form: the phone is typed in plain text and kept encrypted, one account per number."""

    phone = forms.CharField(label="手机号", max_length=11, required=False, validators=[phone_validator])

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and User.objects.filter(phone_q(phone)).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("该手机号已被其他账号使用。")
        return phone


@admin.register(User)
class ShequUserAdmin(AuditedAdmin, UserAdmin):
    form = UserAdminForm
    list_display = ["username", "name", "phone", "is_active", "is_superuser"]
    search_fields = ["username", "name"]  # and the whole phone number, by its keyed hash
    fieldsets = (*UserAdmin.fieldsets, ("社区", {"fields": ["name", "phone"]}))
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(phone_q(search_term.strip()))
        return found, may_have_duplicates


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "expires_at"]
    readonly_fields = ["digest"]


@admin.register(Org)
class OrgAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit_type", "division_code", "is_active", "path"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "division_code"]  # also serves the membership inline's autocomplete
    readonly_fields = ["path", "depth", "parent"]

    def has_add_permission(self, request):
        return False  # tree changes go through the org pages, which keep paths right


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["code", "name", "sort", "is_active"]
