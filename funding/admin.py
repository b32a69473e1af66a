from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from funding.models import FundingNotice
from funding.selectors import notice_compliance


@admin.register(FundingNotice)
class FundingNoticeAdmin(admin.ModelAdmin):
    """For looking notices up. They are recorded and corrected on the portal's own pages, which
    capture the Compact's current edition and check the answers (``funding.services``)."""

    list_display = ["__str__", "compact", "notice_given_on", "effective_on", "meets_the_compact"]
    list_filter = ["compact", "change", "exceptional", "impact_assessed"]
    list_select_related = ["compact", "edition", "issuer", "recipient"]
    search_fields = ["issuer__name", "recipient__name", "description"]
    date_hierarchy = "notice_given_on"
    readonly_fields = [field.name for field in FundingNotice._meta.fields] + ["meets_the_compact"]

    @admin.display(description=_("meets the Compact"), boolean=True)
    def meets_the_compact(self, notice: FundingNotice) -> bool:
        return notice_compliance(notice).compliant

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
