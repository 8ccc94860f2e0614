from django.urls import path

from shequ.care import views, views_needs

app_name = "care"
urlpatterns = [
    path("", views.due, name="due"),
    path("mine/", views.mine, name="mine"),
    path("completion/", views.completion, name="completion"),
    path("persons/<int:pk>/", views.person, name="person"),
    path("persons/<int:pk>/visit/<str:category>/", views.visit, name="visit"),
    path("persons/<int:pk>/pair/", views.pair_new, name="pair_new"),
    path("persons/<int:pk>/assess/<str:category>/", views_needs.assess, name="assess"),
    path("persons/<int:pk>/plan/<str:category>/", views_needs.plan_edit, name="plan"),
    path("needs/<int:pk>/status/", views_needs.need_status, name="need_status"),
    path("pairs/<int:pk>/end/", views.pair_end, name="pair_end"),
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/new/", views.schedule_edit, name="schedule_new"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
]
