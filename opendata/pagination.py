"""Page-number pagination for the API: ``?page=2``, ``page_size`` fixed by the settings."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``count``, ``next``, ``previous`` and ``results``; ``?page=N`` (1 is the first page).

    Page numbers rather than cursors: the lists are small (hundreds of rows per Compact), a reader
    can jump to a page, and a changed list moves a row by one page at worst."""

    page_query_param = "page"
    page_query_description = "A page number within the paginated result set (1 is the first)."
