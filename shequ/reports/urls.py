from django.urls import path

from shequ.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("submissions/", views.submission_list, name="list"),
    path("<slug:code>/<int:org>/<int:year>/<int:no>/", views.fill, name="fill"),
    path("<slug:code>/<int:org>/<int:year>/<int:no>/summary/", views.summary, name="summary"),
    path("<slug:code>/<int:org>/<int:year>/<int:no>/press/", views.press, name="press"),
    path("s/<int:pk>/", views.detail, name="detail"),
    path("s/<int:pk>/review/", views.review, name="review"),
]
