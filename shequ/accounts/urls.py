from django.urls import path

from shequ.accounts import views

app_name = "accounts"
urlpatterns = [
    path("switch/<int:pk>/", views.switch_membership, name="switch"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
