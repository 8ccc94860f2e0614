from django.urls import path

from shequ.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("switch/<int:pk>/", views.switch_membership, name="switch"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("mfa/setup/", mfa_views.setup, name="mfa_setup"),
    path("mfa/verify/", mfa_views.verify, name="mfa_verify"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes, name="mfa_codes"),
    path("unlock/", mfa_views.unlock, name="unlock"),
]
