from django.urls import path

from shequ.records.views import ledgers, records, types, years

app_name = "records"
urlpatterns = [
    path("", records.record_list, name="list"),
    path("new/", records.record_create, name="create"),
    path("<int:pk>/", records.record_detail, name="detail"),
    path("<int:pk>/edit/", records.record_edit, name="edit"),
    path("<int:pk>/delete/", records.record_delete, name="delete"),
    path("photos/<int:pk>/", records.photo, name="photo"),
    path("files/<int:pk>/", records.attachment, name="attachment"),
    path("ledgers/", ledgers.ledger_page, name="ledgers"),
    path("years/", years.years, name="years"),
    path("years/close/", years.year_close, name="year_close"),
    path("years/<int:pk>/reopen/", years.year_reopen, name="year_reopen"),
    path("types/", types.type_list, name="types"),
    path("types/new/", types.type_edit, name="type_create"),
    path("types/<int:pk>/edit/", types.type_edit, name="type_edit"),
]
