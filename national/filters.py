"""The directory's filters (django-filter), read from the query string: nation, and the status worked out
from each Compact's dates (so filtered after the query, in ``views``)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact, Nation
from compact_portal.dates import financial_year_label, financial_year_of
from compact_portal.forms import FilterForm
from national import selectors


class DirectoryFilterForm(FilterForm):
    """The directory's filters."""


class DirectoryFilter(django_filters.FilterSet):
    nation = django_filters.ChoiceFilter(label=_("Nation"), choices=Nation.choices, empty_label=_("Any nation"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(selectors.STATUS_LABELS.items()),
        method="filter_status",
        empty_label=_("Any status"),
    )

    class Meta:
        form = DirectoryFilterForm

    def __init__(self, data=None, *, request=None):
        # Always bound (an empty query string is "no filters"), so that filter_queryset always runs.
        super().__init__(data if data is not None else {}, queryset=selectors.directory_compacts(), request=request)

    def filter_status(self, queryset: QuerySet[Compact], name: str, value: str) -> QuerySet[Compact]:
        return queryset  # computed from the dates: see ``rows``

    def rows(self, *, today) -> list[selectors.DirectoryRow]:
        """The rows the filters select (an invalid choice selects none, and the form says why)."""
        if not self.is_valid():
            return []
        signed = selectors.signed_counts()
        nation = self.form.cleaned_data.get("nation")
        compacts = [c for c in selectors.directory_compacts_kept() if not nation or c.nation == nation]
        rows = [selectors.directory_row(compact, today=today, signed=signed) for compact in compacts]
        status = self.form.cleaned_data.get("status")
        return [row for row in rows if row.status == status] if status else rows

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)


def years_offered(today) -> list[tuple[int, str]]:
    """The financial years the comparison offers, newest first: this one and the five before."""
    current = financial_year_of(today)
    return [(year, financial_year_label(year)) for year in range(current, current - 6, -1)]


class IndicatorFilter(DirectoryFilter):
    """The directory's filters, and the financial year whose measures are compared."""

    year = django_filters.ChoiceFilter(label=_("Financial year"), choices=[], method="filter_year", empty_label=None)

    def __init__(self, data=None, *, today, request=None):
        super().__init__(data, request=request)
        self.filters["year"].extra["choices"] = years_offered(today)
        self.default_year = financial_year_of(today)

    def filter_year(self, queryset: QuerySet[Compact], name: str, value) -> QuerySet[Compact]:
        return queryset  # the year chooses the figures, not the Compacts

    @property
    def chosen_year(self) -> int:
        if self.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return self.default_year

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("nation", "status"))
