"""The form for recording (and correcting) a funding-change notice.

A notice with less notice than the Compact asks for is still recorded: it is a fact, and the
portal shows that it does not meet the Compact. The form only refuses what cannot be right, or
answers that contradict each other.
"""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact
from compact_portal.forms import DateField, GdsForm, long_text
from compact_portal.uploads import UploadValidator, checked_upload, upload_field
from funding.models import FundingNotice, NoticeStep
from funding.services import NOTICE_FIELDS
from signatories.models import Organisation

YES, NO = "yes", "no"
EARLIEST_NOTICE_YEAR = 1998  # the national Compact was agreed in November 1998
TEXT_MAX_LENGTH = 5000


def _text(label, required_message="", help_text="", required=True) -> forms.CharField:
    return long_text(
        label, max_length=TEXT_MAX_LENGTH, required_message=required_message, help_text=help_text, required=required
    )


def _yes_no(label, required_message, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class NoticeForm(GdsForm, forms.Form):
    """What changes, when, why, and what was done first.

    For a new notice, pass the officer's public bodies (``issuers``) and the Compacts with a current
    edition (``compacts``): with only one of either, it is fixed and not asked. To correct a notice,
    pass ``notice``: who gave it, to whom and under which Compact are then fixed.
    """

    submit_label = _("Record the notice")

    issuer = forms.ChoiceField(
        label=_("Which public body gave notice?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the public body that gave notice"),
            "invalid_choice": _("Choose one of your public bodies"),
        },
    )
    compact = forms.ChoiceField(
        label=_("Which Compact does the notice come under?"),
        help_text=_("Its current edition sets how much notice is needed."),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the Compact the notice comes under"),
            "invalid_choice": _("Choose a Compact that has a published edition"),
        },
    )
    change = forms.ChoiceField(
        label=_("What changes?"),
        widget=forms.RadioSelect,
        choices=FundingNotice.Change.choices,
        error_messages={"required": _("Choose what changes"), "invalid_choice": _("Choose what changes")},
    )
    description = _text(
        _("Which funding or support is concerned?"),
        _("Enter the funding or support concerned"),
        _("For example, the grant for the lunch club, £12,000 a year since 2024."),
    )
    # The Welsh takes the English field's box and limits (compact_portal.forms.welsh_beside_english).
    description_cy = _text(_("Which funding or support is concerned? (Welsh)"), required=False)
    notice_given_on = DateField(
        label=_("Date written notice was given"),
        help_text=_("For example, 27 3 2027"),
        required_message=_("Enter the date written notice was given"),
        name=_("The date written notice was given"),
    )
    effective_on = DateField(
        label=_("Date the change takes effect"),
        help_text=_("For example, 30 6 2027"),
        required_message=_("Enter the date the change takes effect"),
        name=_("The date the change takes effect"),
    )
    reasons = _text(
        _("Why was the decision made?"),
        _("Enter the reasons for the decision"),
        _("The reasons given to the organisation."),
    )
    reasons_cy = _text(_("Why was the decision made? (Welsh)"), required=False)
    ended_for_performance = _yes_no(
        _("Is the funding changed or ended because of the organisation’s performance?"),
        _("Say whether the funding is changed or ended because of the organisation’s performance"),
        _(
            "If it is, the Compact asks the public body to offer a timetable for improvement before the change "
            "takes effect."
        ),
    )
    impact_assessed = _yes_no(
        _("Was the impact on beneficiaries, service users and volunteers assessed before deciding?"),
        _("Say whether the impact was assessed before deciding"),
        _(
            "The Compact asks public bodies to assess the impact before they reduce or end funding. "
            "If it was not assessed, choose ‘No’: the notice is still recorded."
        ),
    )
    impact_findings = _text(
        _("If it was assessed, what did the assessment find?"),
        help_text=_("Its findings about beneficiaries, service users and volunteers."),
        required=False,
    )
    discussed_before = _yes_no(
        _("Was the change discussed with the organisation before the decision was made?"),
        _("Say whether the change was discussed with the organisation before the decision"),
    )
    exceptional = forms.BooleanField(
        label=_("Exceptional circumstances are claimed"),
        help_text=_(
            "In exceptional circumstances, for example when the public body’s own funding is withdrawn at short "
            "notice, less notice than the Compact asks for can still meet it. Tick the box only if they are "
            "claimed, and say what they are."
        ),
        required=False,
    )
    exceptional_reason = _text(_("If they are claimed, what are the exceptional circumstances?"), required=False)

    def __init__(
        self,
        *args,
        issuers: list[Organisation] | None = None,
        compacts: list[Compact] | None = None,
        notice: FundingNotice | None = None,
        today: datetime.date | None = None,
        **kwargs,
    ):
        if notice is not None:
            self.submit_label = _("Save the changes")
            kwargs.setdefault("initial", _initial(notice))
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name in ("notice_given_on", "effective_on"):
            self.fields[name].today = lambda: self.today
        self.fixed_issuer: Organisation | None = None
        self.fixed_compact: Compact | None = None
        self.issuers = {str(o.pk): o for o in issuers or []}
        self.compacts = {str(c.pk): c for c in compacts or []}

        if notice is not None or len(self.issuers) <= 1:
            self.fixed_issuer = notice.issuer if notice else next(iter(self.issuers.values()), None)
            del self.fields["issuer"]
        else:
            self.fields["issuer"].choices = [(pk, o.name) for pk, o in self.issuers.items()]
        if notice is not None or len(self.compacts) <= 1:
            self.fixed_compact = notice.compact if notice else next(iter(self.compacts.values()), None)
            del self.fields["compact"]
        else:
            self.fields["compact"].choices = [(pk, c.name) for pk, c in self.compacts.items()]

        for name in ("ended_for_performance", "impact_assessed", "discussed_before"):
            self.fields[name].choices = [Choice(YES, gettext("Yes")), Choice(NO, gettext("No"))]

        layout = []
        if "issuer" in self.fields:
            layout.append(Field.radios("issuer"))
        if "compact" in self.fields:
            layout.append(Field.radios("compact"))
        layout += [
            _heading(gettext("The change")),
            Field.radios("change"),
            Field.textarea("description", rows=4),
            Field.textarea("description_cy", rows=4),
            "notice_given_on",
            "effective_on",
            Field.textarea("reasons", rows=5),
            Field.textarea("reasons_cy", rows=5),
            Field.radios("ended_for_performance"),
            # The follow-up questions are shown, not revealed by the answer: GOV.UK Frontend's conditional
            # reveal puts aria-expanded on radios, which ARIA does not allow (axe-core reports it).
            _heading(gettext("Before the decision")),
            Field.radios("impact_assessed"),
            Field.textarea("impact_findings", rows=5),
            Field.radios("discussed_before"),
            _heading(gettext("Exceptional circumstances")),
            Field.checkbox("exceptional"),
            Field.textarea("exceptional_reason", rows=4),
        ]
        self.helper.layout = Layout(*layout)

    # --- Each field ---------------------------------------------------------------------------------

    def clean_issuer(self) -> Organisation:
        return self.issuers[self.cleaned_data["issuer"]]

    def clean_compact(self) -> Compact:
        return self.compacts[self.cleaned_data["compact"]]

    def clean_notice_given_on(self) -> datetime.date:
        given = self.cleaned_data["notice_given_on"]
        if given > self.today:
            raise ValidationError(_("The date written notice was given must be today or in the past"))
        if given.year < EARLIEST_NOTICE_YEAR:
            raise ValidationError(
                _("The date written notice was given must be in %(year)s or later"),
                params={"year": EARLIEST_NOTICE_YEAR},
            )
        return given

    def clean_impact_assessed(self) -> bool:
        return self.cleaned_data["impact_assessed"] == YES

    def clean_discussed_before(self) -> bool:
        return self.cleaned_data["discussed_before"] == YES

    def clean_ended_for_performance(self) -> bool:
        return self.cleaned_data["ended_for_performance"] == YES

    def clean(self) -> dict:
        data = super().clean()
        given, effective = data.get("notice_given_on"), data.get("effective_on")
        if given and effective and effective <= given:
            self.add_error(
                "effective_on", _("The date the change takes effect must be after the date notice was given")
            )
        findings, reason = data.get("impact_findings", "").strip(), data.get("exceptional_reason", "").strip()
        assessed = data.get("impact_assessed")
        if assessed and not findings:
            self.add_error("impact_findings", _("Enter what the impact assessment found"))
        elif assessed is False and findings:
            # Both questions are on show: say so rather than drop what was typed.
            self.add_error(
                "impact_findings",
                _("You answered that the impact was not assessed: remove the findings, or answer ‘Yes’"),
            )
        if data.get("exceptional") and not reason:
            self.add_error("exceptional_reason", _("Enter the exceptional circumstances"))
        elif not data.get("exceptional") and reason:
            self.add_error(
                "exceptional_reason",
                _("Tick the box if exceptional circumstances are claimed, or remove what you wrote about them"),
            )
        return data

    # --- For the services ---------------------------------------------------------------------------

    @property
    def chosen_issuer(self) -> Organisation | None:
        return self.cleaned_data["issuer"] if "issuer" in self.fields else self.fixed_issuer

    @property
    def chosen_compact(self) -> Compact | None:
        return self.cleaned_data["compact"] if "compact" in self.fields else self.fixed_compact

    @property
    def notice_fields(self) -> dict:
        """The answers, as keyword arguments for ``services.notice_create`` and ``notice_update``."""
        return {name: self.cleaned_data[name] for name in NOTICE_FIELDS}


def _heading(text: str) -> HTML:
    return HTML(format_html('<h2 class="govuk-heading-m">{}</h2>', text))


def _initial(notice: FundingNotice) -> dict:
    initial = {name: getattr(notice, name) for name in NOTICE_FIELDS}
    for name in ("ended_for_performance", "impact_assessed", "discussed_before"):
        initial[name] = YES if getattr(notice, name) else NO
    return initial


# --- The right of reply (issue 16) ----------------------------------------------------------------------

TIMETABLE_ROWS = 5
ACTION_MAX_LENGTH = 300


class StepForm(GdsForm, forms.Form):
    """One step on a notice's timeline: what it is, what is said, a file, and for an improvement
    timetable up to five dated steps. ``kinds`` are the kinds this person's side may record."""

    submit_label = _("Add to the timeline")

    kind = forms.ChoiceField(
        label=_("What are you recording?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you are recording"),
            "invalid_choice": _("Choose one of the options"),
        },
    )
    text = _text(
        _("What do you want to say?"),
        _("Enter what you want to say"),
        _("For a meeting, say when you could meet and what about. For a timetable, say what it is for."),
    )
    file = upload_field(_("File (optional)"), UploadValidator().hint)

    def __init__(self, *args, kinds, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.file_name = ""
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        layout = [Field.radios("kind"), Field.textarea("text", rows=6), Field("file")]
        if NoticeStep.Kind.TIMETABLE in kinds:
            layout.append(_heading(gettext("Improvement timetable")))
            layout.append(
                HTML(
                    format_html(
                        '<p class="govuk-body">{}</p>',
                        gettext(
                            "Only for an improvement timetable: up to five steps, each with the date it is due by."
                        ),
                    )
                )
            )
            for n in range(1, TIMETABLE_ROWS + 1):
                self.fields[f"action_{n}"] = forms.CharField(
                    label=gettext("Step %(n)s: what will be done") % {"n": n},
                    required=False,
                    max_length=ACTION_MAX_LENGTH,
                    error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
                )
                self.fields[f"due_{n}"] = DateField(
                    label=gettext("Step %(n)s: by when") % {"n": n},
                    help_text=_("For example, 30 6 2027"),
                    required=False,
                    required_message=_("Enter the date the step is due by"),
                    name=gettext("The date step %(n)s is due by") % {"n": n},
                    today=lambda: self.today,
                )
                layout += [Field.text(f"action_{n}"), f"due_{n}"]
        self.helper.layout = Layout(*layout)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file:
            return None
        self.file_name = file.name
        return checked_upload(file)

    def clean(self) -> dict:
        data = super().clean()
        self.timetable = []
        for n in range(1, TIMETABLE_ROWS + 1):
            if f"action_{n}" not in self.fields:
                break
            action, due = (data.get(f"action_{n}") or "").strip(), data.get(f"due_{n}")
            if f"due_{n}" in self.errors:
                continue
            if action and not due:
                self.add_error(f"due_{n}", gettext("Enter the date step %(n)s is due by") % {"n": n})
            elif due and not action:
                self.add_error(f"action_{n}", gettext("Enter what will be done in step %(n)s") % {"n": n})
            elif due and due < self.today:
                self.add_error(f"due_{n}", gettext("The date step %(n)s is due by must be today or later") % {"n": n})
            elif action:
                self.timetable.append((action, due))
        kind = data.get("kind")
        if kind == NoticeStep.Kind.TIMETABLE and not self.timetable and not self.errors:
            self.add_error("action_1", gettext("Enter at least one step of the timetable, with its date"))
        elif kind and kind != NoticeStep.Kind.TIMETABLE and self.timetable:
            self.add_error(
                "kind", gettext("Only an improvement timetable has steps with dates: choose it, or remove them")
            )
        return data
