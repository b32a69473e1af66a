"""The filters of the public list of consultations (django-filter), read from the query string."""

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from compact_portal import bilingual
from compact_portal.forms import FilterForm
from consultations import selectors
from consultations.models import Consultation, PolicyArea


class ConsultationFilterForm(FilterForm):
    """The consultations list's filters."""


class ConsultationFilter(django_filters.FilterSet):
    """Filters over ``selectors.consultations_public``. The status is worked out from the dates
    relative to ``today`` (``selectors.status_q``, which agrees with ``rules.status``)."""

    q = django_filters.CharFilter(
        label=_("Title, subject or public body"),
        method="filter_text",
        max_length=200,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=selectors.STATUS_CHOICES,
        method="filter_status",
        empty_label=_("Any status"),
    )
    policy_area = django_filters.ChoiceFilter(
        label=_("Policy area"), choices=PolicyArea.choices, empty_label=_("Any policy area")
    )
    compact = django_filters.ModelChoiceFilter(
        label=_("Compact"), queryset=selectors.compacts_for_filter(), empty_label=_("Any Compact")
    )
    # A box for the body's name rather than a list of every body that has consulted: the list
    # grew with the data (1,200 public bodies at national scale) and a long select is hard to use.
    body = django_filters.CharFilter(
        label=_("Public body"),
        help_text=_("All or part of its name, for example ‘fire’."),
        method="filter_body",
        max_length=200,
        error_messages={"max_length": _("The public body’s name must be 200 characters or fewer")},
    )

    class Meta:
        form = ConsultationFilterForm

    def __init__(self, data=None, *, today: datetime.date, request=None):
        self.today = today
        # Always bound (an empty query string is "no filters"), so that filter_queryset always runs.
        super().__init__(
            data if data is not None else {}, queryset=selectors.consultations_public(today=today), request=request
        )
        # A fresh queryset for each request (the class-level one is evaluated once per use anyway).
        self.filters["compact"].queryset = selectors.compacts_for_filter()

    def filter_text(self, queryset: QuerySet[Consultation], name: str, value: str) -> QuerySet[Consultation]:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(title__icontains=text) | Q(summary__icontains=text) | Q(organisation__name__icontains=text)
        if bilingual.is_welsh():  # a Welsh reader searches the Welsh they are shown too
            matches |= Q(title_cy__icontains=text) | Q(summary_cy__icontains=text)
        return queryset.filter(matches)

    def filter_body(self, queryset: QuerySet[Consultation], name: str, value: str) -> QuerySet[Consultation]:
        text = value.strip()
        return queryset.filter(organisation__name__icontains=text) if text else queryset

    def filter_status(self, queryset: QuerySet[Consultation], name: str, value: str) -> QuerySet[Consultation]:
        return selectors.consultations_with_status(queryset, value, self.today) if value else queryset

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)
