from django.urls import path

from shequ.records import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_create, name="create"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/delete/", views.record_delete, name="delete"),
    path("<int:pk>/health-form.docx", views.health_form, name="health_form"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("persons/search/", views.person_search, name="person_search"),
    path("ledgers/", views.ledger_page, name="ledgers"),
    path("ledgers/<int:org_pk>/<slug:area>/<int:year>/xlsx/", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledgers/<int:org_pk>/<slug:area>/<int:year>/docx/", views.ledger_docx, name="ledger_docx"),
    path("years/", views.years, name="years"),
    path("years/close/", views.year_close, name="year_close"),
    path("years/<int:pk>/reopen/", views.year_reopen, name="year_reopen"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
]
