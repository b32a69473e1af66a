from django.contrib import admin

from mediation.models import Conflict, Mediator


class ConflictInline(admin.TabularInline):
    model = Conflict
    fields = ("organisation", "note", "declared_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    """The pool, to look at: accreditation is given and taken away on the portal's pages (through
    mediation.services, so who did it is recorded), never added, edited or deleted here."""

    list_display = ("user", "every_compact", "accredited_by", "accredited_at", "revoked_by", "revoked_at")
    list_filter = ("every_compact", "revoked_at")
    search_fields = ("user__email", "user__username")
    fields = ("user", "compacts", "every_compact", "accredited_by", "accredited_at", "revoked_by", "revoked_at")
    readonly_fields = fields
    inlines = (ConflictInline,)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
