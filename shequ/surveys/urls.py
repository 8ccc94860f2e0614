from django.urls import path

from shequ.surveys.views import entry, manage, results

app_name = "surveys"
urlpatterns = [
    path("", manage.survey_list, name="list"),
    path("new/", manage.survey_create, name="create"),
    path("<int:pk>/", manage.survey_detail, name="detail"),
    path("<int:pk>/sample/", manage.survey_sample, name="sample"),
    path("<int:pk>/staff/", manage.survey_staff, name="staff"),
    path("<int:pk>/status/<slug:action>/", manage.survey_status, name="status"),
    path("<int:pk>/questions/", manage.question_add, name="question_add"),
    path("<int:pk>/questions/<int:number>/remove/", manage.question_remove, name="question_remove"),
    path("<int:pk>/respondents/<int:number>/mark/", manage.respondent_mark, name="mark"),
    path("<int:pk>/enter/<int:number>/", entry.enter_visit, name="enter"),
    path("<int:pk>/paper/", entry.enter_paper, name="paper"),
    path("<int:pk>/import/", entry.enter_import, name="import"),
    path("<int:pk>/links/", manage.links, name="links"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/answers/", results.answers_table, name="answers"),
    path("responses/<int:pk>/", results.response_detail, name="response"),
]
