"""Forms for signing up, deciding on sign-ups, and looking after an organisation and its people.

Labels and hints are rendered unescaped by the GOV.UK template pack, so any that carry a name typed
by a user are built with ``format_html``.
"""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import ConfirmForm, DateField, GdsForm  # noqa: F401 - views use forms.ConfirmForm
from compact_portal.uploads import accepted_text, upload_field
from signatories.models import Membership, Organisation
from signatories.rules import normalise_number
from signatories.selectors import likely_duplicates

EARLIEST_SIGNING_YEAR = 1998  # the national Compact was agreed in November 1998


# --- Signing up -------------------------------------------------------------------------------------


class ChooseOrganisationForm(GdsForm, forms.Form):
    """Step 1 of signing up: which of the user's organisations is signing."""

    organisation = forms.ChoiceField(
        label=_("Which organisation is signing?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation that is signing"),
            "invalid_choice": _("Choose one of your organisations that has not signed yet"),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [
            Choice(pk, o.name, hint=o.get_organisation_type_display()) for pk, o in self.organisations.items()
        ]
        self.helper.layout = Layout(Field.radios("organisation", legend_size=Size.MEDIUM, legend_tag="h2"))

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class SigningForm(GdsForm, forms.Form):
    """Who signed, their role, the date, and the confirmation that the organisation agrees to the statement."""

    submit_label = _("Send the application")

    signatory_name = forms.CharField(
        label=_("Name of the person signing"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person signing")},
    )
    signatory_role = forms.CharField(
        label=_("Their role in the organisation"),
        help_text=_("For example, chair of trustees or chief executive."),
        max_length=200,
        error_messages={"required": _("Enter the role of the person signing, like chair of trustees")},
    )
    signed_on = DateField(
        label=_("Date signed"),
        help_text=_("For example, 27 3 2026"),
        required_message=_("Enter the date it was signed"),
    )
    confirm = forms.BooleanField()

    def __init__(self, *args, organisation: Organisation, on_behalf: bool = False, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        confirm = self.fields["confirm"]
        if on_behalf:
            self.fields["signed_form"] = upload_field(
                _("Scan of the signed form (optional)"),
                format_html(
                    "{} {}",
                    gettext("Only the coordinator sees it, to check the sign-up."),
                    accepted_text(),
                ),
            )
            self.helper.layout = Layout("signatory_name", "signatory_role", "signed_on", "signed_form", "confirm")
            confirm.label = format_html(
                gettext("I confirm that {organisation} signed this statement, and that a signed copy is kept"),
                organisation=organisation.name,
            )
            confirm.error_messages["required"] = gettext("Confirm that %(organisation)s signed this statement") % {
                "organisation": organisation.name
            }
        else:
            confirm.label = format_html(
                gettext("I confirm that I may sign on behalf of {organisation} and that it agrees to this statement"),
                organisation=organisation.name,
            )
            confirm.error_messages["required"] = gettext(
                "Confirm that you may sign on behalf of %(organisation)s and that it agrees to the statement"
            ) % {"organisation": organisation.name}

    def clean_signed_on(self) -> datetime.date:
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise ValidationError(_("The date signed must be today or in the past"))
        if signed_on.year < EARLIEST_SIGNING_YEAR:
            raise ValidationError(
                _("The date signed must be in %(year)s or later"), params={"year": EARLIEST_SIGNING_YEAR}
            )
        return signed_on


class ApproveForm(GdsForm, forms.Form):
    """Approve an application; for an edition that has been replaced, say which edition it signs."""

    CURRENT, APPLIED = "current", "applied"

    edition = forms.ChoiceField(widget=forms.RadioSelect, required=False)

    def __init__(self, *args, signature, current, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        field = self.fields["edition"]
        self.replaced = current is not None and current.pk != signature.edition_id
        if not self.replaced:
            del self.fields["edition"]
            return
        field.required = True
        field.label = gettext("Which edition does it sign?")
        field.error_messages["required"] = gettext("Choose the edition the organisation signs")
        field.choices = [
            Choice(
                self.CURRENT,
                format_html(gettext("The current edition, {edition}"), edition=current.name),
                hint=gettext("Recommended: the edition applied for has been replaced. The old application is closed."),
            ),
            Choice(
                self.APPLIED,
                format_html(gettext("The edition applied for, {edition}"), edition=signature.edition.name),
                hint=gettext("It will be asked to re-affirm for the current edition."),
            ),
        ]
        self.helper.layout = Layout(Field.radios("edition", legend_size=Size.MEDIUM, legend_tag="h2"))


class ReasonForm(GdsForm, forms.Form):
    """Why an application is not approved, or a signature is withdrawn."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)

    def __init__(self, *args, label, help_text, required_message, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = help_text
        field.error_messages["required"] = required_message
        self.helper.inputs[0].field_classes = "govuk-button govuk-button--warning"


# --- Organisations ----------------------------------------------------------------------------------


class OrganisationForm(GdsForm, forms.ModelForm):
    """An organisation's details. With ``check_duplicates``, a new organisation that looks like one
    already on the portal is refused until the user confirms it is a different one."""

    submit_label = _("Add the organisation")

    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address in the right format, like https://example.org")},
    )
    not_a_duplicate = forms.BooleanField(
        label=_("None of these is my organisation: add it as a new one"),
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "organisation_type",
            "charity_number",
            "company_number",
            "contact_name",
            "contact_email",
            "contact_phone",
            "address",
            "website",
        ]
        widgets = {
            "sector": forms.RadioSelect,
            "organisation_type": forms.RadioSelect,
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "address": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name": _("Name of the organisation"),
            "sector": _("Which sector is it in?"),
            "organisation_type": _("What type of organisation is it?"),
            "charity_number": _("Registered charity number (optional)"),
            "company_number": _("Company number (optional)"),
            "contact_name": _("Contact name (optional)"),
            "contact_email": _("Contact email address (optional)"),
            "contact_phone": _("Contact telephone number (optional)"),
            "address": _("Postal address (optional)"),
        }
        help_texts = {
            "name": _("The full name, as on the charity or company register if it is registered."),
            "charity_number": _("If it is a registered charity. For example, 1234567 or SC012345."),
            "company_number": _("If it is a registered company. For example, 01234567."),
            "contact_email": _("Emails about the organisation’s signature go here when it has no members yet."),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the organisation")},
            "sector": {"required": _("Choose the sector the organisation is in")},
            "organisation_type": {"required": _("Choose the type of organisation")},
            "contact_email": {"invalid": _("Enter an email address in the right format, like name@example.org")},
        }

    def __init__(self, *args, check_duplicates: bool = False, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_duplicates = check_duplicates
        if on_behalf:
            self.fields["not_a_duplicate"].label = _("None of these is the organisation: add it as a new one")
            self.fields["name"].help_text = _("The full name, as on the charity or company register if registered.")
            self.fields["contact_email"].help_text = _(
                "Emails about the sign-up go here until someone from the organisation joins the portal."
            )
        self.duplicates: list[Organisation] = []
        for name in ("sector", "organisation_type"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]  # no blank radio
        self._set_layout()
        if not check_duplicates:
            del self.fields["not_a_duplicate"]

    def _set_layout(self) -> None:
        # The "none of these" box is shown only once likely duplicates have been listed.
        names = [n for n in self.fields if n != "not_a_duplicate"]
        if self.duplicates:
            names.insert(0, "not_a_duplicate")
        self.helper.layout = Layout(*names)

    def clean_charity_number(self) -> str:
        return normalise_number(self.cleaned_data["charity_number"])

    def clean_company_number(self) -> str:
        return normalise_number(self.cleaned_data["company_number"])

    def _post_clean(self):
        # After the model's own checks (the type must belong to the sector), so that likely
        # duplicates are looked for only once everything else is right.
        super()._post_clean()
        if not self.check_duplicates or self.errors:
            return
        self.duplicates = list(
            likely_duplicates(
                name=self.cleaned_data["name"],
                charity_number=self.cleaned_data.get("charity_number", ""),
                company_number=self.cleaned_data.get("company_number", ""),
            )
        )
        self._set_layout()
        if self.duplicates and not self.cleaned_data.get("not_a_duplicate"):
            self.add_error(
                "not_a_duplicate",
                _(
                    "This organisation may already be on the portal. Check the list: if none of them is it, "
                    "tick the box to add it as a new one"
                ),
            )

    @property
    def organisation_fields(self) -> dict:
        """The cleaned details, as keyword arguments for ``services.organisation_create``."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ChampionForm(GdsForm, forms.Form):
    """Choose which member is the organisation's Compact champion."""

    submit_label = _("Save")
    NONE = "none"

    champion = forms.ChoiceField(
        label=_("Who is your Compact champion?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the Compact champion, or ‘No champion for now’")},
    )

    def __init__(self, *args, organisation: Organisation, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.users = {str(m.user.pk): m.user for m in memberships}
        field = self.fields["champion"]
        field.help_text = format_html(
            gettext(
                "The champion promotes the Compact inside {organisation}. Only members of the organisation "
                "can be chosen: invite the person first if they are not listed."
            ),
            organisation=organisation.name,
        )
        field.choices = [Choice(pk, str(user), hint=user.email) for pk, user in self.users.items()] + [
            Choice(self.NONE, gettext("No champion for now"))
        ]
        field.initial = str(organisation.champion_id) if organisation.champion_id else self.NONE

    def save(self) -> Organisation:
        self.organisation.champion = self.users.get(self.cleaned_data["champion"])
        self.organisation.save(update_fields=["champion"])
        return self.organisation


ROLE_CHOICES = [
    Choice(
        Membership.Role.MEMBER.value,
        Membership.Role.MEMBER.label,
        hint=_("Can apply for the organisation to sign a Compact and see its signatures."),
    ),
    Choice(
        Membership.Role.ADMIN.value,
        Membership.Role.ADMIN.label,
        hint=_("Can also change the organisation’s details, invite colleagues and set their roles."),
    ),
]


class InviteForm(GdsForm, forms.Form):
    submit_label = _("Send the invitation")

    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We will email them a link to join. It works once, for 14 days."),
        max_length=254,
        error_messages={
            "required": _("Enter the email address of the person to invite"),
            "invalid": _("Enter an email address in the right format, like name@example.org"),
        },
    )
    role = forms.ChoiceField(
        label=_("What can they do?"),
        widget=forms.RadioSelect,
        choices=ROLE_CHOICES,
        initial=Membership.Role.MEMBER,
        error_messages={"required": _("Choose what the person can do")},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(
                _("%(email)s is already a member of %(organisation)s"),
                params={"email": email, "organisation": self.organisation.name},
            )
        return email


class RoleForm(GdsForm, forms.Form):
    submit_label = _("Save the role")

    role = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=ROLE_CHOICES,
        error_messages={"required": _("Choose the person’s role")},
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("initial", {"role": membership.role})
        super().__init__(*args, **kwargs)
        self.fields["role"].label = format_html(
            gettext("What can {name} do in {organisation}?"),
            name=str(membership.user),
            organisation=membership.organisation.name,
        )


class AccountForm(GdsForm, UserCreationForm):
    """A new account for someone accepting an invitation, with the address the invitation was sent to:
    the link proves it, and no other address can be typed (so the form reveals nothing about who has
    an account)."""

    submit_label = _("Create the account and join")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("first_name", "last_name", "username")
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "username": _("User name"),
            "email": _("Email address"),
        }
        help_texts = {
            "username": _("You will use it to sign in. Letters, numbers and @ . + - _ only."),
        }
        error_messages = {
            "first_name": {"required": _("Enter your first name")},
            "last_name": {"required": _("Enter your last name")},
            "username": {"required": _("Choose a user name")},
            "email": {
                "required": _("Enter your email address"),
                "invalid": _("Enter an email address in the right format, like name@example.org"),
            },
        }

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email.strip().lower()
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = _("At least 12 characters. Avoid common words and your name.")
        self.fields["password1"].error_messages["required"] = _("Enter a password")
        self.fields["password2"].label = _("Enter the password again")
        self.fields["password2"].help_text = ""
        self.fields["password2"].error_messages["required"] = _("Enter the password again")
        self.error_messages["password_mismatch"] = _("The two passwords are not the same. Enter them again.")

    def clean(self):
        cleaned = super().clean()
        if get_user_model().objects.filter(email__iexact=self.email).exists():
            # Only the invited address is asked about, by someone holding the link sent to it.
            raise ValidationError(
                _("There is already an account with the address this invitation was sent to. Sign in, then accept it.")
            )
        return cleaned

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.email = self.email
        if commit:
            user.save()
        return user

    def clean_username(self):
        username = super().clean_username()
        if username is None:  # Django's form has recorded that the name is taken
            return username
        return username.strip()
