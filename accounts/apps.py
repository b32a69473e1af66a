from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import session_start
        from accounts.services import user_language_at_sign_in
        from compact_portal.language import cookie_language

        def on_sign_in(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                session_start(request, user)
            if request is not None and hasattr(request, "COOKIES"):
                user_language_at_sign_in(user=user, cookie_language=cookie_language(request))

        user_logged_in.connect(on_sign_in, weak=False, dispatch_uid="accounts.session_start")
