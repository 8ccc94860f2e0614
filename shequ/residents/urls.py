from django.urls import path

from shequ.residents.views import households, imports, persons, picker

app_name = "residents"
urlpatterns = [
    path("", persons.person_list, name="list"),
    path("new/", persons.person_create, name="create"),
    path("moves/", persons.moves_out, name="moves"),
    path("pick/", picker.person_pick, name="person_pick"),
    path("<int:pk>/", persons.person_detail, name="detail"),
    path("<int:pk>/edit/", persons.person_edit, name="edit"),
    path("<int:pk>/move/", persons.person_move, name="move"),
    path("<int:pk>/reveal/", persons.person_reveal, name="reveal"),
    path("<int:pk>/account/", persons.person_link, name="link_account"),
    path("<int:pk>/account/unlink/", persons.person_unlink, name="unlink_account"),
    path("<int:pk>/not-duplicate/", persons.person_not_duplicate, name="not_duplicate"),
    path("<int:pk>/profiles/<str:kind>/", persons.profile_edit, name="profile"),
    path("<int:pk>/profiles/<str:kind>/<int:profile_pk>/", persons.profile_edit, name="profile_edit"),
    path("<int:pk>/profiles/<str:kind>/<int:profile_pk>/delete/", persons.profile_delete, name="profile_delete"),
    path("households/", households.household_list, name="households"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/move/", households.household_move, name="household_move"),
    path("imports/", imports.import_start, name="import"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/columns/", imports.import_map, name="import_map"),
    path("imports/<int:pk>/sheet/", imports.import_sheet, name="import_sheet"),
    path("imports/<int:pk>/restart/", imports.import_restart, name="import_restart"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("imports/<int:pk>/errors.xlsx", imports.import_errors, name="import_errors"),
]
