"""A Compact's public calendar feed: how notifications finds the Compact of a feed's address.

Registered with notifications in apps.py; the events in it come from the apps that have dates
under a Compact (consultations).
"""

from django.utils.translation import gettext as _

from commitments.models import Compact
from commitments.selectors import compact_default_language, compact_get
from compact_portal.bilingual import localised
from notifications.registry import CalendarOwner


def _title(compact: Compact) -> str:
    return _("%(compact)s: consultation deadlines") % {"compact": localised(compact, "name").text}


FEED_OWNER = CalendarOwner(
    find=lambda slug: compact_get(slug=slug),
    title=_title,
    filename=lambda compact: f"{compact.slug}.ics",
    language=compact_default_language,
)
