from django.contrib import admin

from notifications.models import Notification, ReminderClaim


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "subject", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["email", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "recipient_email", "due_on", "claimed_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["subject_key", "recipient_email"]
