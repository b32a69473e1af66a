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
from funding.models import FundingNotice
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

        for name in ("impact_assessed", "discussed_before"):
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
    for name in ("impact_assessed", "discussed_before"):
        initial[name] = YES if getattr(notice, name) else NO
    return initial
