"""Page-number pagination for the API: ``?page=2``, ``page_size`` fixed by the settings."""

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``count``, ``next``, ``previous`` and ``results``; ``?page=N`` (1 is the first page).

    Page numbers rather than cursors: the lists are small (hundreds of rows per Compact), a reader
    can jump to a page, and a changed list moves a row by one page at worst."""

    page_query_param = "page"

    def get_page_size(self, request) -> int:
        return settings.PORTAL_API_PAGE_SIZE

    page_query_description = "A page number within the paginated result set (1 is the first)."

    def get_paginated_response_schema(self, schema: dict) -> dict:
        """DRF's own says "nullable" (OpenAPI 3.0); the schema is OpenAPI 3.1, which says null is a type."""
        page_link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {**page_link, "example": "https://example.org/api/v1/compacts/?page=3"},
                "previous": {**page_link, "example": "https://example.org/api/v1/compacts/?page=1"},
                "results": schema,
            },
        }
