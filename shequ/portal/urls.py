from django.urls import path

from shequ.portal import mydata, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/code/", views.register_code, name="register_code"),
    path("board/<int:org_id>/", views.board, name="board"),
    path("new/", views.post, name="new"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.case, name="case"),
    path("mine/<int:pk>/rate/", views.rate, name="rate"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("me/", mydata.me, name="me"),
    path("me/reveal/", mydata.me_reveal, name="me_reveal"),
    path("me/link/", mydata.me_link, name="me_link"),
    path("me/link/code/", mydata.me_link_code, name="me_link_code"),
    path("me/unlink/", mydata.me_unlink, name="me_unlink"),
    path("me/records/", mydata.me_list, {"section": "records"}, name="me_records"),
    path("me/cases/", mydata.me_list, {"section": "cases"}, name="me_cases"),
    path("me/views/", mydata.me_list, {"section": "views"}, name="me_views"),
]
