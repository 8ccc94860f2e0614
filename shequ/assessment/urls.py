from django.urls import path

from shequ.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
]
