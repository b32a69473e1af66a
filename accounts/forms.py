from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import GdsForm


class LoginForm(GdsForm, AuthenticationForm):
    submit_label = _("Sign in")

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        # Django sets max_length after the field is made, so it is not checked: a longer name would
        # reach django-axes, whose record of failed sign-ins holds 255 characters (PostgreSQL refuses more).
        self.fields["username"].validators.append(
            MaxLengthValidator(
                self.fields["username"].max_length, _("The user name must be %(limit_value)d characters or fewer")
            )
        )
        self.fields["username"].error_messages["required"] = _("Enter your user name")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.error_messages["invalid_login"] = _(
            "The user name or password is not right. Check them and try again, or reset your password."
        )


RESET_EMAIL_TEMPLATE = "accounts/emails/password_reset.txt"
RESET_SUBJECT_TEMPLATE = "accounts/emails/password_reset_subject.txt"


class ResetRequestForm(GdsForm, PasswordResetForm):
    submit_label = _("Send the reset link")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("The address you use for the portal. We will send a link to it.")
        self.fields["email"].error_messages["required"] = _("Enter your email address")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the right format, like name@example.org"
        )

    def save(self, *, request=None, use_https=False, domain_override=None, **kwargs) -> None:
        """Queue the reset email for the worker (accounts.tasks.password_reset_send): the request
        neither looks the address up nor sends anything, so it takes as long for an address that
        has no account as for one that has."""
        from accounts.tasks import password_reset_send

        domain = domain_override or (request.get_host() if request is not None else "")
        password_reset_send.delay(self.cleaned_data["email"], domain, use_https, translation.get_language() or "")

    def send_reset_emails(self, *, domain: str, use_https: bool, language: str = "") -> None:
        """Send the reset link now (in the worker), with Django's PasswordResetForm: to each account
        in its own language (``User.language``), else in ``language``, else the portal's."""
        self._language = language
        super().save(
            domain_override=domain,
            use_https=use_https,
            email_template_name=RESET_EMAIL_TEMPLATE,
            subject_template_name=RESET_SUBJECT_TEMPLATE,
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        """One account's email, subject and body, rendered in that person's language."""
        user = context.get("user")
        language = getattr(user, "language", "") or getattr(self, "_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ChooseNewPasswordForm(GdsForm, SetPasswordForm):
    submit_label = _("Save the new password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _("At least 12 characters. Avoid common words and your name.")
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].help_text = _("Type the same password again, to check it.")
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")


class MfaCodeForm(GdsForm, forms.Form):
    """A code from the authenticator app (or, at sign-in, a recovery code)."""

    submit_label = _("Continue")

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input govuk-input--width-10"}
        ),
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "max_length": _("The code must be 20 characters or fewer"),
        },
    )


class ChangePasswordForm(GdsForm, PasswordChangeForm):
    submit_label = _("Change your password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Your current password")
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _("At least 12 characters. Avoid common words and your name.")
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].label = _("New password again")
        # Django's own help text has no Welsh translation: ours is in the portal's catalogue.
        self.fields["new_password2"].help_text = _("Type the same password again, to check it.")
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")
        self.error_messages["password_incorrect"] = _(
            "Your current password is not right. Enter it again, or sign out and reset it"
        )


class LanguageForm(GdsForm, forms.Form):
    """The language of a person's pages and emails. Each language is named in itself."""

    submit_label = _("Save")

    language = forms.ChoiceField(
        label=_("Language for pages and emails"),
        # Each name is marked with its language, so a screen reader says it as a speaker would.
        choices=[
            ("en-gb", format_html('<span lang="en">{}</span>', "English")),
            ("cy", format_html('<span lang="cy">{}</span>', "Cymraeg")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language for pages and emails"),
            "invalid_choice": _("Choose English or Cymraeg"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("language", legend_size=Size.LARGE, legend_tag="h1"))
