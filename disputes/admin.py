"""Breach concerns in the admin: read-mostly. Stages move only through disputes.services.case_move,
so the stage, outcome and dates are read-only here."""

from django.contrib import admin

from disputes.models import Case, CaseView, ChallengeLetter, StageChange, TimelineEntry


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_stage", "new_stage", "by", "at", "note", "due_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class TimelineEntryInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["kind", "visibility", "author", "author_organisation", "text", "file_name", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "author_organisation")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "summary", "compact", "complainant", "respondent", "stage", "stage_due_on"]
    list_filter = ["stage", "outcome", "compact"]
    search_fields = ["summary", "complainant__name", "respondent__name"]
    list_select_related = ["compact", "complainant", "respondent"]
    # Raw ids, not drop-downs: a national portal has tens of thousands of organisations and undertakings.
    raw_id_fields = [
        "complainant",
        "respondent",
        "raised_by",
        "source_consultation",
        "source_funding_notice",
        "undertakings",
    ]
    readonly_fields = ["stage", "stage_started_on", "stage_due_on", "outcome", "closed_on", "created_at", "updated_at"]
    inlines = [StageChangeInline, TimelineEntryInline]


@admin.register(CaseView)
class CaseViewAdmin(admin.ModelAdmin):
    list_display = ["case", "user", "at"]
    list_select_related = ["case", "user"]
    readonly_fields = ["case", "user", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChallengeLetter)
class ChallengeLetterAdmin(admin.ModelAdmin):
    list_display = ["case", "status", "created_at", "rendered_at"]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "file",
        "size",
        "content_hash",
        "error",
        "attempts",
        "timeline_entry",
        "created_at",
        "requested_at",
        "rendered_at",
        "render_seconds",
    ]
