"""disputes answers the signals of the apps below it (connected in DisputesConfig.ready): the guard
against retaliation looks at each funding-change notice recorded and each consultation alert stopped."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.permissions import is_coordinator
from consultations.selectors import alert_stop_get
from disputes.models import GuardFlag
from disputes.services import guard_check
from funding.registry import CoordinatorNote


def notice_recorded(sender, *, notice, **kwargs) -> None:
    guard_check(
        compact=notice.compact,
        body=notice.issuer,
        organisation=notice.recipient,
        on=notice.notice_given_on,
        funding_notice=notice,
    )


def alerts_stopped(sender, *, alert_stop, **kwargs) -> None:
    stop = alert_stop_get(pk=alert_stop.pk)
    guard_check(
        compact=stop.consultation.compact,
        body=stop.consultation.organisation,
        organisation=stop.organisation,
        on=timezone.localdate(stop.stopped_at),
        alert_stop=stop,
    )


def guard_notes(notice, user) -> list:
    """The funding notice's page, for the Compact's coordinators only: whether the guard flagged the
    notice, with its review and a link to it. Nobody else learns of the flag (one query, for them)."""
    if not is_coordinator(user, notice.compact):
        return []
    flag = GuardFlag.objects.filter(funding_notice=notice).only("pk", "review").first()
    if flag is None:
        return []
    if flag.review:
        text = _(
            "The guard against retaliation flagged this notice: it went to an organisation with a concern "
            "against this body. Your review: %(review)s."
        ) % {"review": flag.get_review_display()}
    else:
        text = _(
            "The guard against retaliation flagged this notice: it went to an organisation with a concern "
            "against this body. It has not been reviewed yet."
        )
    return [
        CoordinatorNote(
            text=text,
            link_text=_("Review the flag"),
            url=reverse("disputes:guard_flag", kwargs={"slug": notice.compact.slug, "pk": flag.pk}),
        )
    ]
