from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import sign_on_unlink


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown (argparse needs a str, not a lazy string)
        return _(
            "Forget the link between an account (by email address) and the council's sign-in service: the next "
            "single sign-on with a verified email of an allowed domain links it again. Check who is asking first."
        )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("There is no account with the email address %(email)s.") % {"email": email})
        count = sign_on_unlink(user=user)
        self.stdout.write(_("Links forgotten: %(count)d.") % {"count": count})
