from django.contrib import admin

from notifications.models import Notification, ReminderClaim


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
