from django.contrib import admin
from django.urls import include, path

from shequ.accounts import views as account_views
from shequ.api import api
from shequ.core import metrics as core_metrics
from shequ.core import views as core_views
from shequ.site import errors as site_errors
from shequ.site import views as site_views

admin.site.site_header = "社区工作平台 · 后台"
admin.site.site_title = "社区工作平台"

urlpatterns = [
    path("", site_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_metrics.metrics, name="metrics"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("shequ.accounts.urls")),
    path("orgs/", include("shequ.accounts.orgtree.urls")),
    path("audit/", include("shequ.accounts.auditlog.urls")),
    path("residents/", include("shequ.residents.urls")),
    path("plans/", include("shequ.plans.urls")),
    path("records/", include("shequ.records.urls")),
    path("cases/", include("shequ.cases.urls")),
    path("ledgers/", include("shequ.ledgers.urls")),
    path("surveys/", include("shequ.surveys.urls")),
    path("groups/", include("shequ.groups.urls")),
    path("education/", include("shequ.education.urls")),
    path("letters/", include("shequ.letters.urls")),
    path("documents/", include("shequ.documents.urls")),
    path("care/", include("shequ.care.urls")),
    path("reports/", include("shequ.reports.urls")),
    path("assessment/", include("shequ.assessment.urls")),
    path("dossier/", include("shequ.dossier.urls")),
    path("p/s/", include("shequ.surveys.public_urls")),
    path("p/", include("shequ.portal.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = site_errors.bad_request
handler403 = site_errors.permission_denied
handler404 = site_errors.page_not_found
handler500 = site_errors.server_error
