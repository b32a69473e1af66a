"""What every open data answer carries: the licence, and for a 200 its ETag, Last-Modified and
``Cache-Control: public``, with conditional GET (304) on both validators."""

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from compact_portal.middleware import NOT_STORED

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'
FIRST_SEEN_SECONDS = 30 * 24 * 60 * 60


def first_seen(path: str, etag: str) -> datetime.datetime:
    """When this answer (path and query, and its ETag) was first given: its Last-Modified.

    The data behind most answers has no one modification time (an edition's parts, the register's
    signatures and events); the answer's own content does. A changed answer has a new ETag, and so
    is new from the moment it is first given. Whole seconds, as HTTP dates are."""
    now = timezone.now().replace(microsecond=0)
    key = "opendata:seen:" + hashlib.sha256(f"{path}\n{etag}".encode()).hexdigest()
    cache = caches["default"]
    cache.add(key, now.timestamp(), FIRST_SEEN_SECONDS)
    stamp = cache.get(key, now.timestamp())
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def open_data_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response.render()
        response["Link"] = LICENCE_LINK
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            # A refusal (404, 405, 429) is not kept: the next request may be answered.
            response["Cache-Control"] = NOT_STORED
            return response
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        last_modified = first_seen(request.get_full_path(), etag)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=settings.PORTAL_API_MAX_AGE)
        answer = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
        )
        answer["Link"] = LICENCE_LINK
        return answer

    return wrapped
