"""disputes answers the signals of the apps below it (connected in DisputesConfig.ready): the guard
against retaliation looks at each funding-change notice recorded and each consultation alert stopped."""

from django.utils import timezone

from consultations.selectors import alert_stop_get
from disputes.services import guard_check


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
