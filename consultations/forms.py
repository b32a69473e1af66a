"""Forms for registering a consultation, recording a response and writing the feedback.

The rules a consultation's details must keep are checked by ``services.registration_problems``,
which the registration form calls so that each message appears by its own field. Labels and hints
are rendered unescaped by the GOV.UK template pack: any that carry a name typed by a user are built
with ``format_html``.
"""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import DateField, GdsForm
from compact_portal.uploads import UploadValidator, upload_field
from consultations import services
from consultations.models import Consultation, FeedbackItem, PolicyArea
from consultations.selectors import weeks_text

UPLOAD_VALIDATOR = UploadValidator()
DATE_FIELDS = ("early_notice_on", "opens_on", "closes_on")

KIND_CHOICES = [
    Choice(
        Consultation.Kind.FORMAL.value,
        Consultation.Kind.FORMAL.label,
        hint=_("Written proposals that people respond to in writing, within a set period."),
    ),
    Choice(
        Consultation.Kind.INFORMAL.value,
        Consultation.Kind.INFORMAL.label,
        hint=_("For example, meetings, workshops, focus groups or a short survey."),
    ),
]


def _document_hint(current_name: str = "") -> str:
    hint = format_html(
        "{} {}",
        gettext("Needed if you do not give a link above. You can give both."),
        UPLOAD_VALIDATOR.hint,
    )
    if current_name:
        current = format_html(gettext("The current document is {name}: a new file replaces it."), name=current_name)
        hint = format_html("{} {}", hint, current)
    return hint


class ConsultationForm(GdsForm, forms.Form):
    """Register a consultation (``organisations`` and ``compacts`` given), or change one
    (``consultation`` given: its body and Compact stay, and ``fixed`` fields are left out)."""

    submit_label = _("Register the consultation")

    organisation = forms.ChoiceField(
        label=_("Which public body is running it?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the public body that is running the consultation"),
            "invalid_choice": _("Choose one of the public bodies you belong to"),
        },
    )
    compact = forms.ChoiceField(
        label=_("Which Compact does it fall under?"),
        help_text=_("Its current edition sets how long a consultation should be open, and when feedback is due."),
        error_messages={
            "required": _("Choose the Compact the consultation falls under"),
            "invalid_choice": _("Choose one of the Compacts in the list"),
        },
    )
    title = forms.CharField(
        label=_("Title of the consultation"),
        max_length=250,
        error_messages={
            "required": _("Enter the title of the consultation"),
            "max_length": _("The title must be 250 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("What is it about?"),
        help_text=_("A short summary in plain English: what is proposed, and who it affects."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": _("Enter a summary of what the consultation is about"),
            "max_length": _("The summary must be 5,000 characters or fewer"),
        },
    )
    # The Welsh fields take the English one's box and limits (compact_portal.forms.welsh_beside_english).
    title_cy = forms.CharField(label=_("Title of the consultation (Welsh)"), required=False)
    summary_cy = forms.CharField(label=_("What is it about? (Welsh)"), required=False)
    policy_area = forms.ChoiceField(
        label=_("Policy area"),
        choices=[("", _("Choose a policy area")), *PolicyArea.choices],
        error_messages={
            "required": _("Choose the policy area"),
            "invalid_choice": _("Choose a policy area from the list"),
        },
    )
    kind = forms.ChoiceField(
        label=_("What type of consultation is it?"),
        widget=forms.RadioSelect,
        choices=KIND_CHOICES,
        error_messages={"required": _("Choose the type of consultation")},
    )
    early_notice_on = DateField(
        label=_("When was early notice given?"),
        help_text=_(
            "The day voluntary and community organisations were first told it was coming. The Compact asks for "
            "early notice before a consultation opens. For example, 30 11 2026"
        ),
        required=False,
        required_message=_("Enter the date early notice was given"),
        name=_("The date early notice was given"),
    )
    no_early_notice = forms.BooleanField(
        label=_("No early notice was given"),
        help_text=_("The consultation will then be shown as not meeting the Compact."),
        required=False,
    )
    opens_on = DateField(
        label=_("Opening date"),
        help_text=_("The first day responses can be sent. For example, 4 1 2027"),
        required_message=_("Enter the opening date"),
        name=_("The opening date"),
    )
    closes_on = DateField(
        label=_("Closing date"),
        help_text=_("The last day responses can be sent. For example, 28 3 2027"),
        required_message=_("Enter the closing date"),
        name=_("The closing date"),
    )
    shorter_rationale = forms.CharField(
        label=_("Why is it shorter than the Compact’s minimum, or informal?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        error_messages={"max_length": _("The reason must be 4,000 characters or fewer")},
    )
    link = forms.URLField(
        label=_("Link to the consultation"),
        help_text=_(
            "Give a link, or upload the consultation document below, or both. "
            "For example, https://www.example.gov.uk/consultations/parks"
        ),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={
            "invalid": _("Enter a web address in the right format, like https://www.example.gov.uk/consultation"),
            "max_length": _("The web address must be 200 characters or fewer"),
        },
    )
    document = upload_field(_("Consultation document"), "")
    remove_document = forms.BooleanField(label=_("Remove the current document"), required=False)
    contact_name = forms.CharField(
        label=_("Contact name"),
        help_text=_("The person or team that answers questions about the consultation."),
        max_length=200,
        error_messages={"required": _("Enter the name of the contact")},
    )
    contact_email = forms.EmailField(
        label=_("Contact email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the contact email address"),
            "invalid": _("Enter an email address in the right format, like name@example.gov.uk"),
        },
    )

    def __init__(
        self,
        *args,
        organisations=(),
        compacts=(),
        consultation: Consultation | None = None,
        fixed=(),
        today: datetime.date | None = None,
        **kwargs,
    ):
        self.consultation = consultation
        self.today = today or timezone.localdate()
        self.fixed = set(fixed)
        if consultation is not None:
            self.submit_label = _("Save the changes")
            initial = {name: getattr(consultation, name) for name in services.EDITABLE_FIELDS if name != "document"}
            initial["no_early_notice"] = consultation.early_notice_on is None
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            self.fields[name].today = lambda: self.today
        self.organisations = {str(o.pk): o for o in organisations}
        self.compacts = {str(c.pk): c for c in compacts}
        self.fixed_organisation = None

        if consultation is not None:
            del self.fields["organisation"], self.fields["compact"]
            for name in self.fixed:
                self.fields.pop(name, None)
            if "early_notice_on" in self.fixed:
                del self.fields["no_early_notice"]
            min_weeks = {consultation.edition.consultation_min_weeks}
            if consultation.document:
                self.fields["document"].help_text = _document_hint(consultation.document.name.rsplit("/", 1)[-1])
            else:
                del self.fields["remove_document"]
        else:
            del self.fields["remove_document"]
            if len(self.organisations) == 1:
                self.fixed_organisation = next(iter(self.organisations.values()))
                del self.fields["organisation"]
            else:
                self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
            compact_field = self.fields["compact"]
            compact_field.choices = [("", gettext("Choose a Compact"))] + [
                (pk, c.name) for pk, c in self.compacts.items()
            ]
            if len(self.compacts) == 1:
                compact_field.initial = next(iter(self.compacts))
            min_weeks = {c.current_editions[0].consultation_min_weeks for c in self.compacts.values()}
        if "document" in self.fields and not self.fields["document"].help_text:
            self.fields["document"].help_text = _document_hint()
        if "shorter_rationale" in self.fields:
            self.fields["shorter_rationale"].help_text = self._rationale_hint(min_weeks)
        self._set_layout()

    @staticmethod
    def _rationale_hint(min_weeks: set[int]) -> str:
        if len(min_weeks) == 1:
            return gettext(
                "Needed if the consultation is open for less than %(weeks)s, or is informal. Leave it empty otherwise."
            ) % {"weeks": weeks_text(next(iter(min_weeks)))}
        return gettext(
            "Needed if the consultation is open for less than the Compact’s minimum, or is informal. "
            "Leave it empty otherwise."
        )

    def _set_layout(self) -> None:
        items = []
        for name in self.fields:
            if name in ("organisation", "kind"):
                items.append(Field.radios(name, legend_size=Size.SMALL))
            elif name in ("early_notice_on", "opens_on", "closes_on"):
                items.append(Field(name, context={"legend_size": "govuk-fieldset__legend--s"}))
            elif name == "no_early_notice":
                items.append(Field.checkbox(name, small=True))
            else:
                items.append(name)
        self.helper.layout = Layout(*items)

    # --- cleaning --------------------------------------------------------------------------------

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def clean_compact(self):
        return self.compacts[self.cleaned_data["compact"]]

    def _value(self, name: str):
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.consultation, name) if self.consultation is not None else None

    def clean(self):
        cleaned = super().clean()
        if self.consultation is not None:
            edition = self.consultation.edition
        elif cleaned.get("compact") is not None:
            edition = cleaned["compact"].current_editions[0]
        else:
            return cleaned  # the Compact is missing: its own message says so
        has_document = bool(cleaned.get("document")) or (
            self.consultation is not None and bool(self.consultation.document) and not cleaned.get("remove_document")
        )
        problems = services.registration_problems(
            edition=edition,
            opens_on=self._value("opens_on"),
            closes_on=self._value("closes_on"),
            kind=self._value("kind"),
            rationale=self._value("shorter_rationale") or "",
            link=self._value("link") or "",
            has_document=has_document,
            early_notice_on=cleaned.get("early_notice_on") if "early_notice_on" in self.fields else None,
            today=self.today,
        )
        if "document" in self.errors:
            problems.pop("link", None)  # the file's own message says what to fix; a link is not the only way
        for name, message in problems.items():
            # A field left out has already happened (see services.fixed_fields): not this user's to fix.
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        self._check_early_notice(cleaned)
        return cleaned

    def _check_early_notice(self, cleaned) -> None:
        """Early notice is asked for by the Compact: leaving the date out must be said on purpose,
        since the consultation is then shown as not meeting the Compact."""
        if "no_early_notice" not in self.fields or "early_notice_on" in self.errors:
            return
        given, none_given = cleaned.get("early_notice_on"), cleaned.get("no_early_notice")
        if given is None and not none_given:
            self.add_error(
                "early_notice_on",
                _(
                    "Enter the date early notice was given, or tick ‘No early notice was given’: without early "
                    "notice the consultation does not meet the Compact"
                ),
            )
        elif given is not None and none_given:
            self.add_error(
                "no_early_notice",
                _(
                    "You entered the date early notice was given: remove the date, or untick "
                    "‘No early notice was given’"
                ),
            )

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)

    @property
    def chosen_organisation(self):
        return self.fixed_organisation or self.cleaned_data.get("organisation")

    @property
    def consultation_fields(self) -> dict:
        """The details, as keyword arguments for ``services.consultation_create`` or ``_update``."""
        return {name: self.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in self.fields}


class ResponseForm(GdsForm, forms.Form):
    """A voluntary or community organisation's record that it responded."""

    submit_label = _("Record the response")

    organisation = forms.ChoiceField(
        label=_("Which organisation is responding?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation that is responding"),
            "invalid_choice": _("Choose one of your voluntary or community organisations"),
        },
    )
    summary = forms.CharField(
        label=_("Summary of your response"),
        help_text=_(
            "What your organisation said, in a few sentences. The public body running the consultation and your "
            "organisation’s members can read it; the public cannot."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={
            "required": _("Enter a summary of your organisation’s response"),
            "max_length": _("The summary must be 10,000 characters or fewer"),
        },
    )
    represents = forms.CharField(
        label=_("Whom does your organisation represent in this response? (optional)"),
        help_text=_(
            "For example: “our 40 member groups”, “carers who use our service”, or “our organisation only”. "
            "The public body sees it, and it is shown beside your response in the published feedback."
        ),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Whom your organisation represents must be 300 characters or fewer")},
    )
    views_gathered = forms.CharField(
        label=_("How did you gather their views? (optional)"),
        help_text=_(
            "For example: a survey of members, a meeting, conversations with service users. Shown with "
            "whom you represent."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        error_messages={"max_length": _("How you gathered their views must be 1000 characters or fewer")},
    )
    document = upload_field(_("Your full response (optional)"), UPLOAD_VALIDATOR.hint)

    def __init__(self, *args, organisations, existing: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fixed_organisation = None
        existing = existing or {}
        if len(self.organisations) == 1:
            self.fixed_organisation = next(iter(self.organisations.values()))
            del self.fields["organisation"]
            response = existing.get(self.fixed_organisation.pk)
            if response is not None:
                self.submit_label = _("Save the response")
                self.helper.inputs[0].value = self.submit_label
                self.initial.setdefault("summary", response.summary)
                self.initial.setdefault("represents", response.represents)
                self.initial.setdefault("views_gathered", response.views_gathered)
                if response.document:
                    self.fields["document"].help_text = format_html(
                        "{} {}",
                        UPLOAD_VALIDATOR.hint,
                        format_html(
                            gettext("The file you sent before is {name}: a new file replaces it."),
                            name=response.document.name.rsplit("/", 1)[-1],
                        ),
                    )
        else:
            self.fields["organisation"].choices = [
                Choice(
                    pk,
                    o.name,
                    hint=gettext("Already recorded: sending again replaces it") if o.pk in existing else "",
                )
                for pk, o in self.organisations.items()
            ]
        self.helper.layout = Layout(
            *(Field.radios(n, legend_size=Size.SMALL) if n == "organisation" else n for n in self.fields)
        )

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    @property
    def chosen_organisation(self):
        return self.fixed_organisation or self.cleaned_data.get("organisation")


class FeedbackItemForm(GdsForm, forms.ModelForm):
    """One theme of the feedback: what respondents said, and what changed as a result."""

    submit_label = _("Add the theme")

    class Meta:
        model = FeedbackItem
        fields = ["theme", "you_said", "we_did"]
        widgets = {
            "you_said": forms.Textarea(attrs={"rows": 4}),
            "we_did": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "theme": _("Theme"),
            "you_said": _("You said: what respondents told you"),
            "we_did": _("We did: what changed as a result, or why it did not"),
        }
        help_texts = {"theme": _("For example, ‘Opening hours’ or ‘Transport to the new site’.")}
        error_messages = {
            "theme": {
                "required": _("Enter the theme"),
                "max_length": _("The theme must be 200 characters or fewer"),
            },
            "you_said": {"required": _("Enter what respondents said about this theme")},
            "we_did": {"required": _("Enter what changed as a result, or why nothing changed")},
        }

    def __init__(self, *args, **kwargs):
        if kwargs.get("instance") is not None and kwargs["instance"].pk:
            self.submit_label = _("Save the theme")
        super().__init__(*args, **kwargs)
        for name in ("you_said", "we_did"):
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(10000))
            field.error_messages["max_length"] = gettext("This must be 10,000 characters or fewer")


class FeedbackSummaryForm(GdsForm, forms.Form):
    submit_label = _("Save the summary")

    feedback_summary = forms.CharField(
        label=_("Overall summary of the feedback (optional)"),
        help_text=_("How many responses there were, who from, and the main changes made. Shown above the themes."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
        error_messages={"max_length": _("The summary must be 10,000 characters or fewer")},
    )
    feedback_summary_cy = forms.CharField(label=_("Overall summary of the feedback (Welsh)"), required=False)


class AlertStopForm(GdsForm, forms.Form):
    """The running body stops this consultation's alerts to one signatory organisation."""

    submit_label = _("Stop the alerts")

    organisation = forms.ChoiceField(
        label=_("Which organisation should no longer be alerted about this consultation?"),
        error_messages={
            "required": _("Choose the organisation whose alerts are stopped"),
            "invalid_choice": _("Choose an organisation that is alerted about this consultation"),
        },
    )
    reason = forms.CharField(
        label=_("Why are its alerts stopped?"),
        help_text=_("Kept with the consultation. The Compact’s coordinators can read it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={
            "required": _("Enter why the alerts to this organisation are stopped"),
            "max_length": _("The reason must be 1000 characters or fewer"),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [("", gettext("Choose an organisation"))] + [
            (pk, o.name) for pk, o in self.organisations.items()
        ]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]
