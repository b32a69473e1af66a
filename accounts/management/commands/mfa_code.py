from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import mfa_device_for
from accounts.services import mfa_current_code


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown (argparse needs a str, not a lazy string)
        return _("Print the code a demo account's authenticator app would show now (only when DEBUG is on).")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="coordinator")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(_("mfa_code only runs when DEBUG is on: it is for the demo accounts."))
        user = User.objects.filter(username=username).first()
        device = mfa_device_for(user) if user else None
        if device is None:
            raise CommandError(_("%(name)s has no authenticator app set up.") % {"name": username})
        self.stdout.write(mfa_current_code(device=device))
