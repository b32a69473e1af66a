from django.contrib import admin

from signatories.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "organisation_type", "charity_number", "company_number"]
    list_filter = ["sector", "organisation_type"]
    search_fields = ["name", "charity_number", "company_number"]
    inlines = [MembershipInline]
