"""The kinds of notification about funding-change notices, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from funding.reminders import BODY_RESPONDED, EFFECTIVE_SOON, NON_COMPLIANT, RECEIVED, RECIPIENT_REPLIED, TEMPLATES
from notifications.registry import Group, Kind

FUNDING = Group("funding", _("Funding"), _("Notices that funding will change or end."))

# Sent by funding.reminders.
KINDS = (
    Kind(
        RECEIVED,
        "funding",
        _("a public body records a notice that my organisation’s funding will change"),
        _("Sent to the organisation receiving the notice."),
        templates=(TEMPLATES[RECEIVED],),
    ),
    Kind(
        NON_COMPLIANT,
        "funding",
        _("a funding notice gives less notice than the Compact asks for"),
        _("Sent to the Compact’s coordinators."),
        templates=(TEMPLATES[NON_COMPLIANT],),
    ),
    Kind(
        EFFECTIVE_SOON,
        "funding",
        _("a funding change takes effect in one month"),
        _("Sent to the public body that gave the notice and to the organisation receiving it."),
        templates=(TEMPLATES[EFFECTIVE_SOON],),
    ),
    Kind(
        RECIPIENT_REPLIED,
        "funding",
        _("the organisation receiving a funding notice replies, asks for a meeting or proposes a timetable"),
        _("Sent to the public body that gave the notice and to the Compact’s coordinators."),
        templates=(TEMPLATES[RECIPIENT_REPLIED],),
    ),
    Kind(
        BODY_RESPONDED,
        "funding",
        _("the public body records its consideration or decision on a funding notice"),
        _("Sent to the organisation receiving the notice and to the Compact’s coordinators."),
        templates=(TEMPLATES[BODY_RESPONDED],),
    ),
)
