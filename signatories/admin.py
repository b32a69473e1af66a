from django.contrib import admin

from signatories import services
from signatories.models import Membership, Organisation, Signature


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "organisation_type", "sector_status", "charity_number", "company_number"]
    list_filter = ["sector", "organisation_type", "sector_status"]
    search_fields = ["name", "charity_number", "company_number"]
    raw_id_fields = ["champion"]  # not a drop-down of every user
    # The approval of the sector is a coordinator's, through the "organisations awaiting approval" page.
    readonly_fields = ["sector_status", "verified_sector", "verified_type", "sector_requested_by"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"sector", "organisation_type"} & set(form.changed_data):
            # A change of sector or type waits for a coordinator, here as anywhere.
            services.organisation_update(organisation=obj, by=request.user)


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """For looking signatures up; their status changes only through signatories.services."""

    list_display = ["organisation", "edition", "status", "signed_on", "applied_at"]
    list_filter = ["status"]
    list_select_related = ["organisation", "edition__compact"]
    search_fields = ["organisation__name", "signatory_name"]
    raw_id_fields = ["organisation", "edition", "applied_by", "decided_by"]
    readonly_fields = ["status"]
