from celery import shared_task
from django.utils import timezone

from funding import reminders
from notifications.reminders import reminders_sweep


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def send_notice_recorded_reminders(notice_id: int) -> None:
    """Tell the organisation receiving a notice (and the coordinators, if it does not meet the
    Compact) now, rather than at the next daily sweep: the same reminders through the same claims,
    so the sweep sends none of them again."""
    reminders_sweep(today=timezone.localdate(), sources=[reminders.recorded_source(notice_id)])
