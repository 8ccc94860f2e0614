from django.urls import path

from shequ.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("issue/", views.letter_start, name="start"),
    path("issue/new/", views.letter_issue, name="issue"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/sign/", views.letter_sign, name="sign"),
    path("<int:pk>/signature/", views.letter_file, {"part": "signature"}, name="signature"),
    path("<int:pk>/scan/", views.letter_file, {"part": "scan"}, name="scan"),
]
