"""Response headers Django does not set by itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header from settings.PERMISSIONS_POLICY to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response


# Views whose pages are the same for every anonymous visitor and hold nothing confidential: the
# Compact, its editions and PDF, the register, consultations, the anonymised figures and the public
# calendar. Only these may be kept by a browser or a shared cache (and only when nobody is signed
# in: a signed-in person's page names them). Everything else is ``private, no-store``.
PUBLIC_VIEWS = frozenset(
    {
        "home",
        "accessibility",
        "privacy",
        "brand_css",
        "commitments:compact_list",
        "commitments:compact_detail",
        "commitments:edition_list",
        "commitments:edition_detail",
        "commitments:edition_compare",
        "commitments:edition_pdf",
        "commitments:edition_pdf_signing",
        "commitments:edition_pdf_language",
        "commitments:edition_pdf_language_signing",
        "signatories:register",
        "signatories:register_csv",
        "signatories:coverage",
        "consultations:list",
        "consultations:detail",
        "consultations:document",
        "disputes:figures",
        "notifications:compact_calendar",
        # The annual review's figures: public, the same for everyone (reviews/views.py marks them).
        "reviews:csv",
        "reviews:ods",
        "opendata:docs",
        "opendata:undertakings_csv",
        "opendata:consultations_csv",
        # The open data API marks its answers public itself (opendata/headers.py): they are the same
        # for everyone, signed in or not, since the API authenticates nobody.
        "opendata:schema",
        "opendata:compact_list",
        "opendata:compact_detail",
        "opendata:edition_list",
        "opendata:edition_detail",
        "opendata:undertaking_list",
        "opendata:undertaking_history",
        "opendata:signatory_list",
        "opendata:compact_consultation_list",
        "opendata:consultation_list",
        "opendata:concern_figures",
        "opendata:funding_years",
        "opendata:indicators",
        "opendata:national_indicators",
    }
)
NOT_STORED = "private, no-store"


def is_public_view(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match) and match.view_name in PUBLIC_VIEWS


class PrivateCacheControlMiddleware:
    """``Cache-Control: private, no-store`` on every answer that is not a public page.

    Any answer to a signed-in person, and any answer of a view that is not in PUBLIC_VIEWS (sign-in
    and password pages, secret calendar feeds, invitations, evidence, letters, PDFs of drafts), is
    neither kept by the browser nor by a shared cache on the way. A view that marks itself public
    with ``cache_control(public=True)`` (brand.css, the same for everyone) keeps its own header.
    Static files are served by WhiteNoise above this and keep their long-lived caching.

    A public page is in the reader's language: the language middleware (commitments/middleware.py)
    adds ``Vary: Cookie, Accept-Language`` to every answer, so a cache keeps the Welsh and English
    pages apart, and its ``?lang=`` answer, which sets the language cookie, is ``private, no-store``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "public" in response.headers.get("Cache-Control", ""):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or not is_public_view(request):
            response.headers["Cache-Control"] = NOT_STORED
            response.headers.pop("Expires", None)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than settings.PORTAL_MAX_REQUEST_BYTES before it is read.

    The declared Content-Length is checked first, so a 60 MB upload is answered 413 before its first
    byte is read; a body without a (true) Content-Length is stopped by
    compact_portal.uploads.RequestSizeLimitHandler once it passes the limit, and answered here too.
    The reverse proxy in front refuses larger bodies still earlier (README, "Production").
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from compact_portal.uploads import request_too_large

        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.PORTAL_MAX_REQUEST_BYTES:
            return request_too_large(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        from compact_portal.uploads import request_too_large

        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 (reads the body through the upload handlers, which mark an oversized one)
        if getattr(request, "portal_request_too_large", False):
            return request_too_large(request)
        return None
