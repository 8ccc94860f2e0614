from django.urls import path

from shequ.portal import views

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
]
