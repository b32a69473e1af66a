from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import mfa_reset


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown (argparse needs a str, not a lazy string)
        return _(
            "Forget a person's authenticator app and recovery codes: they set up a new app at their next sign-in. "
            "Check who is asking first."
        )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no account with the user name %(name)s.") % {"name": username})
        mfa_reset(user=user)
        self.stdout.write(_("%(name)s will set up a new authenticator app at their next sign-in.") % {"name": username})
