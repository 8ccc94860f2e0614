from django.urls import path

from shequ.accounts import mfa_views, useradmin, views

app_name = "accounts"
urlpatterns = [
    path("switch/<int:pk>/", views.switch_membership, name="switch"),
    path("users/", useradmin.user_list, name="users"),
    path("users/new/", useradmin.user_create, name="user_create"),
    path("users/<int:pk>/", useradmin.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", useradmin.user_active, name="user_active"),
    path("users/<int:pk>/memberships/new/", useradmin.membership_add, name="membership_add"),
    path("memberships/<int:pk>/", useradmin.membership_change, name="membership_change"),
    path("memberships/<int:pk>/end/", useradmin.membership_end, name="membership_end"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("mfa/setup/", mfa_views.setup, name="mfa_setup"),
    path("mfa/verify/", mfa_views.verify, name="mfa_verify"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes, name="mfa_codes"),
    path("unlock/", mfa_views.unlock, name="unlock"),
]
