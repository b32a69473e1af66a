"""The admin site: for looking things up and correcting mistakes. Consultations are registered,
answered and given feedback on the portal's own pages, which keep the Compact's rules."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, FeedbackItem, Response


class FeedbackItemInline(admin.StackedInline):
    model = FeedbackItem
    extra = 0


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["organisation", "summary", "document", "submitted_by", "submitted_at"]
    readonly_fields = ["submitted_by", "submitted_at"]
    autocomplete_fields = ["organisation"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "compact", "kind", "opens_on", "closes_on", "feedback_published_on"]
    list_filter = ["compact", "kind", "policy_area"]
    search_fields = ["title", "summary", "organisation__name"]
    date_hierarchy = "opens_on"
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["edition"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["organisation", "compact"]
    inlines = [FeedbackItemInline, ResponseInline]
    fieldsets = [
        (None, {"fields": ["title", "summary", "policy_area", "organisation", "compact", "edition"]}),
        (
            _("Dates and type"),
            {"fields": ["kind", "early_notice_on", "opens_on", "closes_on", "shorter_rationale"]},
        ),
        (_("Documents and contact"), {"fields": ["link", "document", "contact_name", "contact_email"]}),
        (_("Feedback"), {"fields": ["feedback_summary", "feedback_published_on"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["organisation", "consultation", "submitted_at"]
    search_fields = ["organisation__name", "consultation__title"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["consultation"]
    readonly_fields = ["submitted_by", "submitted_at"]
    list_select_related = ["organisation", "consultation"]
