from django.urls import path

from shequ.dossier import views

app_name = "dossier"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:org>/<int:year>/", views.check, name="check"),
    path("<int:org>/<int:year>/build/", views.start, name="build"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/download/", views.download, name="download"),
]
