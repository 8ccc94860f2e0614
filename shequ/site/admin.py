"""The libraries' admin pages, held to the same rule as ours: every change made in ``/admin/`` is audited.

Groups go: roles are memberships (``accounts.roles``), and Django's groups and permissions are not used.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from shequ.audit.admin import AuditedAdmin

admin.site.unregister(Group)


class AuditedAccessAttemptAdmin(AuditedAdmin, AccessAttemptAdmin):
    """Deleting an attempt unlocks an account: audited."""


class AuditedAccessLogAdmin(AuditedAdmin, AccessLogAdmin):
    pass


class AuditedAccessFailureLogAdmin(AuditedAdmin, AccessFailureLogAdmin):
    pass


class AuditedTaskResultAdmin(AuditedAdmin, DBTaskResultAdmin):
    pass


class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Removing a user's authenticator sends them to enrol again at their next login: audited."""


class AuditedStaticDeviceAdmin(AuditedAdmin, StaticDeviceAdmin):
    pass


for model, model_admin in (
    (TOTPDevice, AuditedTOTPDeviceAdmin),
    (StaticDevice, AuditedStaticDeviceAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, AuditedAccessLogAdmin),
    (AccessFailureLog, AuditedAccessFailureLogAdmin),
    (DBTaskResult, AuditedTaskResultAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
