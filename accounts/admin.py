from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignOnIdentity, User
from accounts.services import sign_on_unlink

admin.site.register(User, UserAdmin)

# The secret of a person's authenticator app is theirs alone: not shown in the admin. To let
# someone who lost their phone and their recovery codes set up a new app: manage.py mfa_reset.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(admin.ModelAdmin):
    """Who is linked to the council's identity provider: read only. Deleting a link forgets the
    person's links, as ``manage.py sign_on_unlink`` does (``accounts.services.sign_on_unlink``); their
    next single sign-on links the account again by its verified email."""

    list_display = ["user", "email", "issuer", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__username", "email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "email", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # made by a sign-in, with the provider's word for who it is

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: SignOnIdentity) -> None:
        sign_on_unlink(user=obj.user)

    def delete_queryset(self, request, queryset) -> None:
        for user in User.objects.filter(pk__in=queryset.values("user")):
            sign_on_unlink(user=user)
