from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from national import services
from national.models import NationalRole


@admin.register(NationalRole)
class NationalRoleAdmin(admin.ModelAdmin):
    """Giving the role here goes through the same service as the page (who gave it is recorded);
    a role is taken away with the action, never deleted."""

    list_display = ("user", "granted_by", "granted_at", "revoked_by", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__email", "user__username")
    fields = ("user", "granted_by", "granted_at", "revoked_by", "revoked_at")
    readonly_fields = ("granted_by", "granted_at", "revoked_by", "revoked_at")
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "user")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        try:
            role = services.national_role_grant(email=obj.user.email, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level="error")
            return
        obj.pk = role.pk

    @admin.action(description=_("Take away the national body role"))
    def revoke(self, request, queryset) -> None:
        for role in queryset:
            services.national_role_revoke(role=role, by=request.user)
