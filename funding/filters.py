"""The filters of the list of funding-change notices (django-filter), read from the query string.

Whether a notice meets the Compact is worked out in Python by ``funding.rules``, not in the
database: the compliance filter only reads the choice, and ``selectors.notice_page`` applies it.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact
from compact_portal.forms import FilterForm
from funding import selectors
from funding.models import FundingNotice

GIVEN, RECEIVED = "given", "received"


class NoticeFilterForm(FilterForm):
    """The notices list's filters."""


class NoticeFilter(django_filters.FilterSet):
    """Filters over the notices the user may see (``selectors.notices_visible_to``)."""

    compact = django_filters.ModelChoiceFilter(
        field_name="compact",
        label=_("Compact"),
        queryset=Compact.objects.order_by("name"),
        empty_label=_("Any Compact"),
        error_messages={"invalid_choice": _("Choose a Compact from the list")},
    )
    compliance = django_filters.ChoiceFilter(
        label=_("Meets the Compact or not"),
        choices=[
            (selectors.MEETS, _("Meets the Compact")),
            (selectors.DOES_NOT_MEET, _("Does not meet the Compact")),
        ],
        empty_label=_("Either"),
        method="filter_compliance",
        error_messages={"invalid_choice": _("Choose whether the notices meet the Compact from the list")},
    )
    change = django_filters.ChoiceFilter(
        field_name="change",
        label=_("What changes"),
        choices=FundingNotice.Change.choices,
        empty_label=_("Any change"),
        error_messages={"invalid_choice": _("Choose what changes from the list")},
    )
    direction = django_filters.ChoiceFilter(
        label=_("Given or received"),
        choices=[(GIVEN, _("Given by your organisations")), (RECEIVED, _("Received by your organisations"))],
        empty_label=_("Given and received"),
        method="filter_direction",
        error_messages={"invalid_choice": _("Choose given or received from the list")},
    )

    class Meta:
        form = NoticeFilterForm

    def __init__(self, data=None, *, user, request=None):
        self.user = user
        # Always bound (an empty query string is "no filters"), so that filter_queryset always runs.
        super().__init__(data if data is not None else {}, queryset=selectors.notices_visible_to(user), request=request)

    def filter_compliance(self, queryset: QuerySet[FundingNotice], name: str, value: str) -> QuerySet[FundingNotice]:
        return queryset  # applied in Python by selectors.notice_page, with funding.rules

    def filter_direction(self, queryset: QuerySet[FundingNotice], name: str, value: str) -> QuerySet[FundingNotice]:
        if value == GIVEN:
            return selectors.notices_given_by_organisations_of(queryset, self.user)
        if value == RECEIVED:
            return selectors.notices_received_by_organisations_of(queryset, self.user)
        return queryset

    @property
    def chosen_compliance(self) -> str:
        """The compliance chosen (``selectors.MEETS`` or ``DOES_NOT_MEET``), or "" for either."""
        self.errors  # noqa: B018 - validates the form, so that cleaned_data holds the valid filters
        return self.form.cleaned_data.get("compliance") or ""

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)
