"""The forms of mediation, drawn the GOV.UK way."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import DateField, GdsForm, long_text
from mediation.models import Side

TEXT_MAX_LENGTH = 10000
ACTION_ROWS = 5


def _text(label, required_message="", required=True, help_text=""):
    return long_text(
        label, max_length=TEXT_MAX_LENGTH, required_message=required_message, required=required, help_text=help_text
    )


class AccreditForm(GdsForm, forms.Form):
    submit_label = _("Accredit the mediator")

    email = forms.EmailField(
        label=_("The mediator’s email address"),
        help_text=_("They must have an account on the portal."),
        max_length=254,
        error_messages={
            "required": _("Enter the mediator’s email address"),
            "invalid": _("Enter an email address, like name@example.org"),
        },
    )
    compacts = forms.ModelMultipleChoiceField(
        label=_("Which Compacts do they cover?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a Compact you coordinate")},
    )
    every_compact = forms.BooleanField(label=_("Every Compact (the national body’s accreditation)"), required=False)

    def __init__(self, *args, compacts, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compacts"].queryset = compacts
        if not national:
            del self.fields["every_compact"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("compacts") and not cleaned.get("every_compact") and "compacts" not in self.errors:
            self.add_error("compacts", _("Choose at least one Compact the mediator covers"))
        return cleaned


class ConflictForm(GdsForm, forms.Form):
    submit_label = _("Declare the conflict")

    organisation = forms.ModelChoiceField(
        label=_("Which organisation do you work for or with?"),
        queryset=None,
        error_messages={
            "required": _("Choose the organisation"),
            "invalid_choice": _("Choose one of the organisations"),
        },
    )
    note = forms.CharField(label=_("How you work for or with it (optional)"), max_length=200, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SettingForm(GdsForm, forms.Form):
    submit_label = _("Save the setting")

    mediator_from_other_area = forms.BooleanField(
        label=_("Propose only mediators from another area"),
        help_text=_("Mediators accredited by this Compact are then not proposed for its concerns."),
        required=False,
    )


class DeclineForm(GdsForm, forms.Form):
    submit_label = _("Decline this mediator")

    reason = _text(_("Why do you decline this mediator?"), _("Say why you decline this mediator"))


class AppointForm(GdsForm, forms.Form):
    submit_label = _("Appoint the mediator")

    mediator = forms.ChoiceField(
        label=_("Which mediator do you appoint?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the mediator"), "invalid_choice": _("Choose one of the mediators")},
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].choices = [(str(p.mediator_id), str(p.mediator)) for p in proposals]


class NoteForm(GdsForm, forms.Form):
    submit_label = _("Save the note")

    text = _text(_("Your note"), _("Write the note"), help_text=_("Only you see your notes."))


class MeetingForm(GdsForm, forms.Form):
    submit_label = _("Arrange the meeting")

    day = DateField(
        label=_("Date of the meeting"), name=_("The meeting date"), required_message=_("Enter the date of the meeting")
    )
    time = forms.CharField(
        label=_("Time"),
        help_text=_("For example, 14:30"),
        max_length=5,
        error_messages={"required": _("Enter the time of the meeting")},
    )
    online = forms.TypedChoiceField(
        label=_("Is it online or in person?"),
        choices=[("no", _("In person")), ("yes", _("Online"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it is online or in person")},
    )
    place = forms.CharField(
        label=_("Where, or the link to join"),
        max_length=300,
        error_messages={"required": _("Enter where the meeting is, or the link to join it")},
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The meeting date must be today or in the future"))
        return day

    def clean_time(self):
        value = self.cleaned_data["time"].strip()
        match = re.fullmatch(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])", value)
        if not match:
            raise forms.ValidationError(_("Enter the time as hours and minutes, like 14:30"))
        return datetime.time(int(match[1]), int(match[2]))

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))


class AgreementForm(GdsForm, forms.Form):
    """The agreement and up to five actions (what, which party does it, by when)."""

    submit_label = _("Record the agreement")

    summary = _text(_("What was agreed?"), _("Say what was agreed"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"what_{n}"] = forms.CharField(
                label=_("Action %(n)s: what is to be done") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"owner_{n}"] = forms.ChoiceField(
                label=_("Action %(n)s: who does it") % {"n": n},
                choices=Side.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the organisations")},
            )
            self.fields[f"due_{n}"] = DateField(
                label=_("Action %(n)s: due by") % {"n": n},
                name=_("The due date"),
                required=False,
                required_message=_("Enter the due date"),
            )

    def clean(self):
        cleaned = super().clean()
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            what, owner, due = cleaned.get(f"what_{n}"), cleaned.get(f"owner_{n}"), cleaned.get(f"due_{n}")
            if not (what or owner or due) or f"due_{n}" in self.errors:
                continue
            if not what:
                self.add_error(f"what_{n}", _("Say what is to be done"))
            if not owner:
                self.add_error(f"owner_{n}", _("Choose who does it"))
            if not due:
                self.add_error(f"due_{n}", _("Enter the due date"))
            if what and owner and due:
                actions.append((what, owner, due))
        if not actions and not self.errors:
            self.add_error("what_1", _("Give at least one action agreed"))
        self.actions = actions
        return cleaned


class NoAgreementForm(GdsForm, forms.Form):
    submit_label = _("Record no agreement and refer the concern on")

    summary = _text(_("Why was no agreement reached?"), _("Say why no agreement was reached"))
