from django import forms
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import GdsForm


class GrantForm(GdsForm, forms.Form):
    submit_label = _("Give the role")

    email = forms.EmailField(
        label=_("Email address of their account"),
        help_text=_("They must already have an account on the portal."),
        max_length=254,
        error_messages={
            "required": _("Enter the email address of their account"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
