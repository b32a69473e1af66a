"""The read-only JSON API (docs/decisions/0021-open-data-api.md). Every view is public: no
authentication, GET only, throttled per address; urls.py wraps each in ``open_data_headers``."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from opendata import selectors, serializers
from opendata.throttling import OpenDataThrottle


class OpenDataMixin:
    throttle_classes = [OpenDataThrottle]
    http_method_names = ["get", "head", "options"]

    def compact(self):
        if not hasattr(self, "_compact"):
            self._compact = selectors.compact_get(slug=self.kwargs["slug"])
        return self._compact


class CompactList(OpenDataMixin, generics.ListAPIView):
    """Every Compact, with the id of its current edition (null when none is published)."""

    serializer_class = serializers.CompactSerializer

    def get_queryset(self):
        return selectors.compacts()


class CompactDetail(OpenDataMixin, generics.RetrieveAPIView):
    serializer_class = serializers.CompactSerializer

    def get_object(self):
        return self.compact()


class EditionList(OpenDataMixin, generics.ListAPIView):
    """The Compact's published and replaced editions, newest first (drafts are not public)."""

    serializer_class = serializers.EditionSerializer

    def get_queryset(self):
        return selectors.editions(compact=self.compact())


class EditionDetail(OpenDataMixin, generics.RetrieveAPIView):
    """One edition with every part: principles, outcomes with their undertakings, codes of practice."""

    serializer_class = serializers.EditionDetailSerializer

    def get_object(self):
        return selectors.edition_get(compact=self.compact(), pk=self.kwargs["pk"])


class UndertakingList(OpenDataMixin, generics.ListAPIView):
    """The current edition's undertakings, each with its stable key and its number in this edition."""

    serializer_class = serializers.CurrentUndertakingSerializer

    def get_queryset(self):
        return selectors.undertakings_current(compact=self.compact())


class UndertakingHistory(OpenDataMixin, generics.GenericAPIView):
    """One undertaking, by its stable key, in each public edition that has it."""

    serializer_class = serializers.UndertakingHistorySerializer
    pagination_class = None

    def get(self, request, slug: str, key):
        rows = selectors.undertaking_history(compact=self.compact(), key=key)
        return Response(self.get_serializer({"key": key, "editions": rows}).data)


class SignatoryList(OpenDataMixin, generics.ListAPIView):
    """The public register: each organisation that signed, with the edition it signed last."""

    serializer_class = serializers.SignatorySerializer

    def get_queryset(self):
        return selectors.signatories(compact=self.compact())


class _ConsultationsBase(OpenDataMixin, generics.ListAPIView):
    serializer_class = serializers.ConsultationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Today in Europe/London: status and compliance are judged against it (tests set it).
        self.today = timezone.localdate()


class ConsultationList(_ConsultationsBase):
    """Every consultation with its status and compliance with the Compact, worked out today."""

    def get_queryset(self):
        return selectors.consultations(today=self.today)


class CompactConsultationList(_ConsultationsBase):
    """The Compact's consultations with their status and compliance, worked out today."""

    def get_queryset(self):
        return selectors.consultations(today=self.today, compact=self.compact())


class ConcernFigures(OpenDataMixin, generics.GenericAPIView):
    """Anonymised counts of the Compact's breach concerns: no names; counts of 1 or 2 are withheld."""

    serializer_class = serializers.ConcernFiguresSerializer
    pagination_class = None

    def get(self, request, slug: str):
        return Response(self.get_serializer(selectors.concern_figures(compact=self.compact())).data)


class FundingYears(OpenDataMixin, generics.GenericAPIView):
    """Funding-change notices per financial year, counted, with the share that met the Compact; never
    a notice itself. A year with fewer than 3 notices shows neither figure."""

    serializer_class = serializers.FundingYearSerializer
    pagination_class = None

    @extend_schema(responses=serializers.FundingYearSerializer(many=True))
    def get(self, request, slug: str):
        return Response(self.get_serializer(selectors.funding_years(compact=self.compact()), many=True).data)


class Indicators(OpenDataMixin, generics.GenericAPIView):
    """The standard outcome measures of the Compact for one financial year (the measures page's)."""

    serializer_class = serializers.IndicatorYearSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="The financial year by its first calendar year (2026: April 2026 to March 2027); "
                "one of ``years``. The current one when not given.",
            )
        ]
    )
    def get(self, request, slug: str):
        compact = self.compact()
        today = timezone.localdate()
        years = selectors.indicator_years(compact=compact, today=today)
        try:
            year = int(request.query_params.get("year", years[0]))
        except ValueError:
            raise Http404 from None
        if year not in years:
            raise Http404
        return Response(self.get_serializer(selectors.indicator_values(compact=compact, year=year, today=today)).data)


class NationalIndicators(OpenDataMixin, generics.ListAPIView):
    """Every Compact's standard outcome measures for one financial year, each with the national
    median, a page of Compacts at a time (by name)."""

    serializer_class = serializers.NationalIndicatorsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="The financial year by its first calendar year (2026: April 2026 to March 2027): the "
                "current one (when not given) or one of the five before.",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        today = timezone.localdate()
        years = selectors.national_indicator_years(today=today)
        try:
            year = int(self.request.query_params.get("year", years[0]))
        except ValueError:
            raise Http404 from None
        if year not in years:
            raise Http404
        return selectors.national_indicators(year=year, today=today)
