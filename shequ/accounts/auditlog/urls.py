from django.urls import path

from shequ.accounts.auditlog import views

app_name = "audit"
urlpatterns = [path("", views.audit_log, name="list")]
