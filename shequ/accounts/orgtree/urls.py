from django.urls import path

from shequ.accounts.orgtree import views

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:parent_pk>/new/", views.org_create, name="create"),
    path("<int:pk>/edit/", views.org_edit, name="edit"),
    path("<int:pk>/move/", views.org_move, name="move"),
    path("<int:pk>/retire/", views.org_retire, name="retire"),
    path("areas/", views.area_list, name="areas"),
    path("areas/new/", views.area_edit, name="area_create"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
]
