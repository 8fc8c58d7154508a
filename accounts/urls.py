from django.urls import path

from accounts import passkey_views, views

app_name = "accounts"

urlpatterns = [
    # The second step of signing in (outside the access matrix, like login itself).
    path("login/verify/", views.verify, name="verify"),
    path("login/enrol/", views.enrol, name="enrol"),
    path("login/passkey/", passkey_views.passkey_verify, name="passkey_verify"),
    path("login/enrol/passkey/", passkey_views.passkey_enrol, name="passkey_enrol"),
    path("login/recovery-codes/", passkey_views.recovery_codes_shown, name="recovery_codes_new_shown"),
    path("account/security/", views.security, name="security"),
    path("account/recovery-codes/", views.recovery_codes_new, name="recovery_codes"),
    path("account/authenticator/", views.totp_add, name="totp_add"),
    path("account/passkeys/add/", passkey_views.passkey_add, name="passkey_add"),
    path("account/passkeys/<slug:pk>/remove/", passkey_views.passkey_remove, name="passkey_remove"),
    path("account/password/", views.password_change, name="password_change"),
    path("accounts/lockouts/", views.lockouts, name="lockouts"),
    path("accounts/lockouts/unlock/", views.unlock, name="unlock"),
    path("accounts/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
    path("accounts/approvals/", views.approvals, name="approvals"),
    path("accounts/approvals/<uuid:pk>/", views.approval_decide, name="approval_decide"),
]
