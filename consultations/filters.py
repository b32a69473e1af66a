"""The filters of the public list of consultations (django-filter), read from the query string."""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import GdsForm
from consultations import selectors
from consultations.models import Consultation, PolicyArea


class ConsultationFilterForm(GdsForm, forms.Form):
    """Drawn the GOV.UK way; the page supplies the <form method="get"> and its button, so that the
    query string holds only the filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.inputs = []


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
    organisation = django_filters.ModelChoiceFilter(
        label=_("Public body"),
        queryset=selectors.public_bodies_with_consultations(),
        empty_label=_("Any public body"),
    )

    class Meta:
        form = ConsultationFilterForm

    def __init__(self, data=None, *, today: datetime.date, request=None):
        self.today = today
        # Always bound (an empty query string is "no filters"), so that filter_queryset always runs.
        super().__init__(
            data if data is not None else {}, queryset=selectors.consultations_public(today=today), request=request
        )
        # Fresh querysets for each request (the class-level ones are evaluated once per use anyway).
        self.filters["compact"].queryset = selectors.compacts_for_filter()
        self.filters["organisation"].queryset = selectors.public_bodies_with_consultations()

    def filter_text(self, queryset: QuerySet[Consultation], name: str, value: str) -> QuerySet[Consultation]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(organisation__name__icontains=text)
        )

    def filter_status(self, queryset: QuerySet[Consultation], name: str, value: str) -> QuerySet[Consultation]:
        return queryset.filter(selectors.status_q(value, self.today)) if value else queryset

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)
