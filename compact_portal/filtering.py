"""Helpers shared by the filtered, paginated list pages (register, consultations, funding)."""

from django.http import HttpRequest


def filter_query(request: HttpRequest, filterset) -> str:
    """The filters in use, as a query string without the empty ones (for page and download links)."""
    query = request.GET.copy()
    for name in list(query):
        if name not in filterset.filters or not any(value.strip() for value in query.getlist(name)):
            del query[name]
    return query.urlencode()
