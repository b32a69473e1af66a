from django.contrib import admin
from django.urls import include, path

from compact_portal import views

urlpatterns = [
    path("", include("commitments.home_urls")),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("accounts/", include("accounts.urls")),
    path("compacts/", include("commitments.urls")),
    path("compacts/", include("monitoring.urls")),
    path("compacts/", include("reviews.urls")),
    path("", include("signatories.urls")),
    path("consultations/", include("consultations.urls")),
    path("funding/", include("funding.urls")),
    path("concerns/", include("disputes.urls")),
    path("mediation/", include("mediation.urls")),
    path("national/", include("national.urls")),
    path("", include("notifications.urls")),
    path("", include("actionplans.urls")),
    path("", include("opendata.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded and generated files (evidence, responses, letters, PDFs) are never served from
# MEDIA_URL, not even in development: each is served by a view that checks who is asking.

handler404 = "compact_portal.views.page_not_found"
handler403 = "compact_portal.views.permission_denied"
handler500 = "compact_portal.views.server_error"
