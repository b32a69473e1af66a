"""The filters of the public register of signatories (django-filter), read from the query string."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact, Edition, Sector
from compact_portal.forms import FilterForm
from signatories import register_selectors
from signatories.models import OrganisationType, Signature
from signatories.rules import normalise_name, normalise_number


class RegisterFilterForm(FilterForm):
    """The register's filters; an edition is offered by its name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "edition" in self.fields:
            self.fields["edition"].label_from_instance = lambda edition: edition.name


class RegisterFilter(django_filters.FilterSet):
    """Filters over ``register_selectors.register_signatures``.

    Without an edition chosen, each organisation appears once, with the edition it signed last.
    With an edition chosen, the register lists the organisations that signed that edition (whether
    or not they have signed a later one), each with its signature of that edition.
    """

    q = django_filters.CharFilter(
        label=_("Name, charity number or company number"),
        method="filter_text",
        max_length=200,
    )
    sector = django_filters.ChoiceFilter(
        field_name="organisation__sector", label=_("Sector"), choices=Sector.choices, empty_label=_("Any sector")
    )
    organisation_type = django_filters.ChoiceFilter(
        field_name="organisation__organisation_type",
        label=_("Type of organisation"),
        choices=OrganisationType.choices,
        empty_label=_("Any type"),
    )
    status = django_filters.ChoiceFilter(
        field_name="register_status",
        label=_("Status"),
        choices=register_selectors.RegisterStatus.choices,
        empty_label=_("Any status"),
    )
    edition = django_filters.ModelChoiceFilter(
        field_name="edition",
        label=_("Edition signed"),
        queryset=Edition.objects.none(),
        empty_label=_("Any edition"),
    )

    class Meta:
        form = RegisterFilterForm

    def __init__(self, data=None, *, compact: Compact, current: Edition | None, request=None):
        queryset = register_selectors.register_signatures(compact=compact, current=current)
        # Always bound (an empty query string is "no filters"), so that filter_queryset always runs.
        super().__init__(data if data is not None else {}, queryset=queryset, request=request)
        self.filters["edition"].queryset = register_selectors.register_editions(compact=compact)

    def filter_text(self, queryset: QuerySet[Signature], name: str, value: str) -> QuerySet[Signature]:
        text = value.strip()
        query = Q(organisation__name__icontains=text)
        if normalise_name(text):
            query |= Q(organisation__normalised_name__contains=normalise_name(text))
        if normalise_number(text):
            query |= Q(organisation__charity_number__iexact=normalise_number(text))
            query |= Q(organisation__company_number__iexact=normalise_number(text))
        return queryset.filter(query)

    def filter_queryset(self, queryset: QuerySet[Signature]) -> QuerySet[Signature]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("edition"):
            queryset = register_selectors.latest_only(queryset)
        return queryset

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)
