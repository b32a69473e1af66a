from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commitments.models import CodeOfPractice, Compact, Edition, ImportRule, Outcome, Principle, Theme, Undertaking
from compact_portal.forms import ConfirmForm  # noqa: F401 - the views use forms.ConfirmForm
from compact_portal.forms import GdsForm as BaseGdsForm
from compact_portal.uploads import (
    CannotClean,
    UploadValidator,
    accept_attribute,
    clean_bytes,
    detect_kind,
)

# A logo is printed a few centimetres wide: 1 MB is plenty for a sharp one.
LOGO_KINDS = ("png", "jpeg")
LOGO_MAX_BYTES = 1024 * 1024


class GdsForm(BaseGdsForm):
    submit_label = _("Save")


class CompactSettingsForm(GdsForm, forms.ModelForm):
    """What a coordinator may change about the Compact itself: its Welsh name and which language
    its pages put first."""

    class Meta:
        model = Compact
        fields = ["name_cy", "welsh_first"]
        labels = {"name_cy": _("Name of the Compact (Welsh)"), "welsh_first": _("Show this Compact in Welsh first")}


class CompactDirectoryForm(GdsForm, forms.ModelForm):
    """How the Compact appears in the national directory: its council's ONS code, a public contact for
    its coordinator and how often it is refreshed."""

    class Meta:
        model = Compact
        fields = ["ons_code", "contact_email", "contact_phone", "review_period_years"]
        labels = {
            "ons_code": _("The council's ONS code"),
            "contact_email": _("Public email address for the coordinator"),
            "contact_phone": _("Public phone number for the coordinator (optional)"),
            "review_period_years": _("How often the Compact is reviewed, in years"),
        }
        help_texts = {
            "contact_email": _(
                "Shown on the Compact’s public page and in the national directory. Use a shared mailbox rather "
                "than a person’s own address."
            ),
            "review_period_years": _(
                "From 1 to 10. The directory shows a refresh as due when the current edition is older."
            ),
        }
        error_messages = {
            "review_period_years": {
                "min_value": _("The review period must be at least 1 year"),
                "max_value": _("The review period must be 10 years or fewer"),
                "invalid": _("Enter the review period as a whole number of years, like 3"),
                "required": _("Enter the review period in years"),
            },
            "contact_email": {"invalid": _("Enter an email address like compact@example.gov.uk")},
        }

    def clean_ons_code(self) -> str:
        return self.cleaned_data["ons_code"].strip().upper()


class EditionNewForm(GdsForm, forms.Form):
    submit_label = _("Start the draft")

    START_FROM_CURRENT = "current"
    START_EMPTY = "empty"

    name = forms.CharField(
        label=_("Name of the new edition"),
        help_text=_("For example, ‘Refreshed Compact 2027’. You can change it before publishing."),
        max_length=200,
        error_messages={"required": _("Enter a name for the new edition")},
    )
    start_from = forms.ChoiceField(
        label=_("What should the draft start with?"),
        choices=[
            (START_FROM_CURRENT, _("A copy of the current edition, to change what needs changing")),
            (START_EMPTY, _("Nothing: I will add every outcome and undertaking myself")),
        ],
        widget=forms.RadioSelect,
        initial=START_FROM_CURRENT,
        error_messages={"required": _("Choose what the draft should start with")},
    )


class EditionSettingsForm(GdsForm, forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "name",
            "name_cy",
            "foreword",
            "foreword_cy",
            "introduction",
            "introduction_cy",
            "making_it_work",
            "making_it_work_cy",
            "dispute_resolution",
            "dispute_resolution_cy",
            "consultation_min_weeks",
            "feedback_due_weeks",
            "funding_notice_min_months",
            "dispute_informal_days",
            "dispute_formal_days",
            "dispute_mediation_days",
        ]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 6}),
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "making_it_work": forms.Textarea(attrs={"rows": 6}),
            "dispute_resolution": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"name": {"required": _("Enter the edition’s name")}}


class PrincipleForm(GdsForm, forms.ModelForm):
    class Meta:
        model = Principle
        fields = ["title", "title_cy", "description", "description_cy", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"position": _("Principles are listed from the lowest number to the highest.")}
        error_messages = {"title": {"required": _("Enter the principle, for example ‘Respect’")}}


class OutcomeForm(GdsForm, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["number", "title", "title_cy", "description", "description_cy"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "number": {"required": _("Enter the outcome’s number")},
            "title": {"required": _("Enter the outcome")},
        }

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.instance.edition = edition

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = self.edition.outcomes.filter(number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Outcome %(number)s already exists. Choose another number."), params={"number": number}
            )
        return number


class UndertakingForm(GdsForm, forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=_("Themes (optional)"),
        help_text=_("Choose any that apply. Other pages use themes to find the undertakings about, say, funding."),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Undertaking
        fields = ["outcome", "number", "sector", "text", "text_cy", "themes"]
        widgets = {"sector": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 5})}
        labels = {"outcome": _("Outcome")}
        error_messages = {
            "outcome": {"required": _("Choose the outcome this undertaking is for")},
            "number": {"required": _("Enter the undertaking’s number, like 2.4")},
            "sector": {"required": _("Choose who makes this undertaking")},
            "text": {"required": _("Enter the text of the undertaking")},
        }

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.instance.edition = edition
        self.fields["outcome"].queryset = edition.outcomes.all()
        self.fields["outcome"].empty_label = None
        self.fields["sector"].choices = self.fields["sector"].choices[1:]  # no blank radio

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if self.edition.undertakings.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Undertaking %(number)s already exists in this edition. Choose another number."),
                params={"number": number},
            )
        return number


class PublishForm(GdsForm, forms.Form):
    """Publish a draft; when it lacks parts the current edition has, the coordinator must choose,
    part by part, to carry each over or to publish without them. Publishing is never blocked."""

    PUBLISH_WITHOUT = "none"

    def __init__(self, *args, missing=(), **kwargs):
        self.submit_label = _("Publish this edition")
        super().__init__(*args, **kwargs)
        self.missing = list(missing)
        if self.missing:
            self.fields["carry_over"] = forms.MultipleChoiceField(
                label=_("What should happen to the parts this draft does not have?"),
                help_text=_("Select all that apply. A part you do not copy will not be in the published edition."),
                choices=[
                    *[(part.key, part.choice) for part in self.missing],
                    (self.PUBLISH_WITHOUT, _("Publish without them")),
                ],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _(
                        "Choose the parts to copy from the current edition, or choose to publish without them"
                    ),
                    "invalid_choice": _("Choose only from the parts listed"),
                },
            )

    def clean_carry_over(self):
        chosen = self.cleaned_data["carry_over"]
        if self.PUBLISH_WITHOUT in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                _("Choose the parts to copy, or choose to publish without them, not both"), code="both"
            )
        return [key for key in chosen if key != self.PUBLISH_WITHOUT]

    @property
    def carry_over(self) -> list[str]:
        return self.cleaned_data.get("carry_over", []) if self.missing else []


class CodeOfPracticeForm(GdsForm, forms.ModelForm):
    class Meta:
        model = CodeOfPractice
        fields = ["title", "title_cy", "body", "body_cy", "position"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        error_messages = {
            "title": {"required": _("Enter the title of the code of practice")},
            "body": {"required": _("Enter the text of the code of practice")},
        }


class ImportUploadForm(GdsForm, forms.Form):
    submit_label = _("Check the text")

    LANGUAGE_CHOICES = [
        ("auto", _("Work it out from the text")),
        ("en", _("English")),
        ("cy", _("Welsh (Cymraeg): the Welsh text of the newest draft edition")),
        ("both", _("Welsh and English (a bilingual document)")),
    ]

    language = forms.ChoiceField(
        label=_("Language of the document"),
        help_text=_(
            "A Welsh document adds its Welsh text to the newest draft edition, part by part. A bilingual "
            "document, back to back, side by side or paragraph by paragraph, makes a new draft edition in "
            "both languages."
        ),
        choices=LANGUAGE_CHOICES,
        initial="auto",
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose the language of the document from the list"),
        },
    )
    name = forms.CharField(
        label=_("Name of the new edition"),
        help_text=_("For example, ‘Refreshed Compact 2027’. Not needed for a Welsh document added to a draft."),
        max_length=200,
        required=False,
    )
    text_file = forms.FileField(
        label=_("The Compact as a file"),
        # Interpolated when shown, in the reader's language (a lazy string with % is translated at import).
        help_text=lazy(
            lambda: (
                gettext("A Word (.docx), PDF or plain-text (.txt) file, up to %(size)s KB.")
                % {"size": settings.COMPACT_IMPORT_MAX_BYTES // 1024}
            ),
            str,
        )(),
        required=False,
    )
    pasted_text = forms.CharField(
        label=_("Or paste the text of the Compact"),
        help_text=_("Leave this empty if you chose a file."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        strip=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        has_file = bool(cleaned_data.get("text_file"))
        has_text = bool((cleaned_data.get("pasted_text") or "").strip())
        if not has_file and not has_text and "text_file" not in self.errors:
            self.add_error("text_file", _("Choose the file of the Compact, or paste its text"))
        elif has_file and has_text:
            self.add_error("pasted_text", _("Choose a file or paste the text, not both"))
        # The name is needed unless the text is Welsh, which the page knows only once it is read.
        cleaned_data["language"] = cleaned_data.get("language") or "auto"
        return cleaned_data


class ImportRuleForm(GdsForm, forms.Form):
    """A rule for reading this Compact's documents, in plain words: no regular expressions."""

    submit_label = _("Add the rule and read the text again")

    kind = forms.ChoiceField(
        label=_("What should the rule say?"),
        choices=ImportRule.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the rule should say")},
    )
    text = forms.CharField(
        label=_("The text the lines start with"),
        help_text=_("As in the document, like ‘Theme’ or ‘The Council will’. Use # for a number: ‘Page # of #’."),
        max_length=100,
        error_messages={
            "required": _("Enter the text the lines start with"),
            "max_length": _("The text must be 100 characters or fewer"),
        },
    )
    sector = forms.ChoiceField(
        label=_("For a sector heading: which sector it means"),
        choices=ImportRule.RuleSector.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not any(char.isalnum() or char == "#" for char in text):
            raise forms.ValidationError(_("Enter some letters or digits the lines start with, not only punctuation"))
        return text

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == ImportRule.Kind.SECTOR and not cleaned_data.get("sector"):
            self.add_error("sector", _("Choose which sector the heading means"))
        return cleaned_data


class LogoForm(GdsForm, forms.Form):
    """A logo for the cover of the Compact's PDF: checked as a PNG or JPEG picture by its contents,
    limited in size, and drawn again from its pixels alone (no metadata) before it is kept."""

    submit_label = _("Upload the logo")

    organisation = forms.CharField(
        label=_("Whose logo is it?"),
        help_text=_(
            "The organisation’s name, for example ‘Riverside Borough Council’. "
            "It is read out to people who cannot see the logo."
        ),
        max_length=200,
        error_messages={"required": _("Enter the name of the organisation whose logo it is")},
    )
    image = forms.FileField(
        label=_("The logo"),
        help_text=UploadValidator(allowed=LOGO_KINDS, max_bytes=LOGO_MAX_BYTES).hint,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": accept_attribute(LOGO_KINDS)}),
        validators=[UploadValidator(allowed=LOGO_KINDS, max_bytes=LOGO_MAX_BYTES)],
        error_messages={
            "required": _("Choose the logo’s picture file"),
            "invalid": _("The selected file could not be read. Choose it again."),
            "empty": _("The selected file is empty"),
        },
    )
    edition = forms.ModelChoiceField(
        label=_("Which editions should it be printed on?"),
        queryset=Edition.objects.none(),
        required=False,
        empty_label=_("Every edition of this Compact"),
        help_text=_("Choose an edition if the partner joined for that edition only."),
    )

    def __init__(self, *args, compact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = compact.editions.order_by("-created_at")
        self.fields["edition"].label_from_instance = lambda edition: edition.name

    def clean_image(self):
        upload = self.cleaned_data["image"]
        kind = detect_kind(upload)  # checked by the field's validator: png or jpeg
        upload.seek(0)
        try:
            data = clean_bytes(upload.read(), kind)
        except CannotClean:
            raise forms.ValidationError(
                _(
                    "The selected file could not be opened as a picture. It may be damaged: "
                    "save it again, then choose it again."
                )
            ) from None
        return kind, data
