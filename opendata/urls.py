from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from opendata import api, views
from opendata.headers import open_data_headers
from opendata.throttling import OpenDataThrottle

app_name = "opendata"


def endpoint(view_class, **initkwargs):
    return open_data_headers(view_class.as_view(**initkwargs))


C = "api/v1/compacts/<slug:slug>/"

urlpatterns = [
    path("open-data/", views.api_docs, name="docs"),
    path("open-data/compacts/<slug:slug>/undertakings.csv", views.undertakings_csv, name="undertakings_csv"),
    path("open-data/consultations.csv", views.consultations_csv, name="consultations_csv"),
    path(
        "api/v1/schema/",
        endpoint(SpectacularJSONAPIView, throttle_classes=[OpenDataThrottle], authentication_classes=[]),
        name="schema",
    ),
    path("api/v1/compacts/", endpoint(api.CompactList), name="compact_list"),
    path(C, endpoint(api.CompactDetail), name="compact_detail"),
    path(C + "editions/", endpoint(api.EditionList), name="edition_list"),
    path(C + "editions/<int:pk>/", endpoint(api.EditionDetail), name="edition_detail"),
    path(C + "undertakings/", endpoint(api.UndertakingList), name="undertaking_list"),
    path(C + "undertakings/<uuid:key>/", endpoint(api.UndertakingHistory), name="undertaking_history"),
    path(C + "signatories/", endpoint(api.SignatoryList), name="signatory_list"),
    path(C + "consultations/", endpoint(api.CompactConsultationList), name="compact_consultation_list"),
    path(C + "concern-figures/", endpoint(api.ConcernFigures), name="concern_figures"),
    path(C + "funding-notices/", endpoint(api.FundingYears), name="funding_years"),
    path(C + "indicators/", endpoint(api.Indicators), name="indicators"),
    path("api/v1/consultations/", endpoint(api.ConsultationList), name="consultation_list"),
    path("api/v1/indicators/", endpoint(api.NationalIndicators), name="national_indicators"),
]
