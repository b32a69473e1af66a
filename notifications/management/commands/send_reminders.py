"""Send the reminders that are due: the same sweep Celery beat runs every morning at 07:00.

python manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.reminders import Outcome, reminders_sweep


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()  # noqa: DTZ007 (a date, no time)
    except ValueError:
        raise CommandError(
            _("--today must be a real date written YYYY-MM-DD, for example 2027-03-04, not ‘%(value)s’.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a property so that it is translated when shown, not when imported
        return _(
            "Send the reminders that are due today and have not been sent yet. Each reminder goes to each "
            "person once, however often this runs."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_("Work out what is due on this day instead of today (Europe/London)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("List what would be sent, without claiming or sending anything."),
        )

    def handle(self, *args, today: str | None, dry_run: bool, verbosity: int = 1, **options):
        day = parse_day(today) if today is not None else timezone.localdate()
        result = reminders_sweep(today=day, dry_run=dry_run)
        for item in result.items:
            if item.outcome == Outcome.SKIPPED and verbosity < 2:
                continue
            line = f"{item.outcome:<10}  {item.kind}  {item.subject_key}  → {item.email}  ({item.due_on.isoformat()})"
            self.stdout.write(self.style.ERROR(line) if item.outcome == Outcome.FAILED else line)
        if dry_run:
            summary = _(
                "Dry run for %(day)s: %(would)s would be sent, %(skipped)s already sent or being sent. "
                "Nothing was claimed or sent."
            ) % {"day": day.isoformat(), "would": result.would_send, "skipped": result.skipped}
        else:
            summary = _(
                "Reminders for %(day)s: %(due)s due, %(sent)s sent, %(skipped)s already sent or being sent, "
                "%(failed)s failed."
            ) % {
                "day": day.isoformat(),
                "due": result.due,
                "sent": result.sent,
                "skipped": result.skipped,
                "failed": result.failed,
            }
        self.stdout.write(summary)
        for what in result.broken:
            self.stdout.write(self.style.ERROR(_("Left out: the reminders of %(what)s (see the log)") % {"what": what}))
        if result.broken:
            raise CommandError(
                _("The reminders of %(count)s sources or subjects could not be worked out; the others were sent.")
                % {"count": len(result.broken)}
            )
        if result.failed:
            raise CommandError(
                _("%(failed)s reminders could not be sent; a later run tries them again (see the log).")
                % {"failed": result.failed}
            )
