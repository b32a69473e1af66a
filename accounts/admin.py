from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

admin.site.register(User, UserAdmin)

# The secret of a person's authenticator app is theirs alone: not shown in the admin. To let
# someone who lost their phone and their recovery codes set up a new app: manage.py mfa_reset.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
