from django.contrib import admin

from commitments.models import CodeOfPractice, Compact, Edition, Outcome, Principle, Undertaking


@admin.register(Compact)
class CompactAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "slug", "nation"]
    search_fields = ["name", "area", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0


class CodeOfPracticeInline(admin.StackedInline):
    model = CodeOfPractice
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "compact", "status", "published_on"]
    list_filter = ["status", "compact"]
    list_select_related = ["compact"]
    search_fields = ["name", "compact__name"]
    readonly_fields = ["status", "published_on", "based_on", "created_by"]
    inlines = [PrincipleInline, OutcomeInline, CodeOfPracticeInline]


@admin.register(Undertaking)
class UndertakingAdmin(admin.ModelAdmin):
    list_display = ["number", "edition", "sector", "outcome"]
    list_filter = ["sector", "edition__compact"]
    list_select_related = ["edition", "edition__compact", "outcome"]
    search_fields = ["number", "text"]
