from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import delivery
from notifications.models import BouncingAddress, Notification, ReminderClaim


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "subject", "emailed_at", "delivery_status"]
    list_filter = ["kind", "delivery_status"]
    search_fields = ["email", "subject", "notify_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        # A record of what was sent: every field is read-only, so "add" could only save a blank
        # notification, which the delivery sweep would then try to email.
        return False


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "recipient_email", "due_on", "claimed_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["subject_key", "recipient_email"]
    readonly_fields = [f.name for f in ReminderClaim._meta.fields]

    def has_add_permission(self, request) -> bool:
        # Claims are made by the sweep only: a claim made by hand would stop a real reminder.
        # Deleting one is allowed: the next sweep sends that reminder again, if still due.
        return False


@admin.register(BouncingAddress)
class BouncingAddressAdmin(admin.ModelAdmin):
    """Addresses GOV.UK Notify could not deliver to for good. Only Notify's receipts mark one, and only
    the "clear" action (``notifications.delivery.bouncing_address_clear``) forgets one: never edited."""

    list_display = ["email", "since", "notify_status"]
    list_select_related = ["notification"]
    search_fields = ["email"]
    date_hierarchy = "since"
    readonly_fields = ["email", "since", "notification"]
    actions = ["clear"]

    @admin.display(description=_("GOV.UK Notify’s status"), ordering="notification__delivery_status")
    def notify_status(self, obj: BouncingAddress) -> str:
        return obj.notification.delivery_status if obj.notification_id else ""

    def has_add_permission(self, request) -> bool:
        return False  # marked by Notify's delivery receipts only

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the status is Notify's: shown, never typed

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cleared with the action, through the service

    @admin.action(description=_("Clear: the person says emails to this address work again"))
    def clear(self, request, queryset) -> None:
        chosen = list(queryset)
        self.log_deletions(request, chosen)  # the admin's history says who cleared which address
        count = delivery.bouncing_address_clear(emails=[bounce.email for bounce in chosen], by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d address cleared: reminders are sent to it again.",
                "%(count)d addresses cleared: reminders are sent to them again.",
                count,
            )
            % {"count": count},
        )
