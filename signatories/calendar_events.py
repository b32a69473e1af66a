"""An organisation's secret calendar feed: how notifications finds the organisation of a feed's
address (its ``calendar_token``), who may open the page that gives the address out, and who may
replace it. Registered with notifications in apps.py; the events come from the apps that have
dates for an organisation (consultations, funding).
"""

from django.http import Http404
from django.utils.translation import gettext as _

from notifications.registry import CalendarOwner
from signatories.models import Organisation
from signatories.permissions import can_edit_organisation
from signatories.selectors import organisation_get_for_member


def organisation_for_token(token: str) -> Organisation:
    """The organisation whose calendar address holds this token; 404 for any other (an old one too)."""
    organisation = Organisation.objects.filter(calendar_token=token).first() if token else None
    if organisation is None:
        raise Http404
    return organisation


def _title(organisation: Organisation) -> str:
    return _("%(organisation)s: Compact deadlines") % {"organisation": organisation.name}


FEED_OWNER = CalendarOwner(
    find=organisation_for_token,
    title=_title,
    filename=lambda organisation: "compact-deadlines.ics",
    for_member=lambda user, pk: organisation_get_for_member(user=user, pk=pk),
    may_change_address=can_edit_organisation,
)
