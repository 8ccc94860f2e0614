from django.urls import path

from shequ.surveys.views import public

app_name = "survey_public"
urlpatterns = [
    path("o/<str:token>/", public.open_survey, name="open"),
    path("<str:token>/", public.personal, name="personal"),
]
