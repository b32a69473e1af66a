from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import forms, views
from compact_portal.throttle import by_ip, by_posted, throttle

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("language/", views.language, name="language"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Single sign-on with the council's identity provider (404 when not configured).
    path(
        "sign-in/council/",
        throttle("sign-on-start", key=by_ip, limit=30, window=5 * 60, methods=("GET",), count_every=True)(
            views.SignOnStartView.as_view()
        ),
        name="oidc_start",
    ),
    path("sign-in/council/callback/", views.SignOnCallbackView.as_view(), name="oidc_callback"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/set-up-codes/", views.mfa_setup, name="mfa_setup"),
    path("sign-in/code/", views.mfa_verify, name="mfa_verify"),
    path("sign-in/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=forms.ChangePasswordForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        # Reset emails: 10 an hour from one address, 3 an hour to one email address.
        throttle("password-reset-ip", key=by_ip, limit=10, window=60 * 60)(
            throttle("password-reset-email", key=by_posted("email"), limit=3, window=60 * 60)(
                auth_views.PasswordResetView.as_view(
                    template_name="accounts/password_reset_form.html",
                    form_class=forms.ResetRequestForm,
                    success_url=reverse_lazy("accounts:password_reset_done"),
                )
            )
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=forms.ChooseNewPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
