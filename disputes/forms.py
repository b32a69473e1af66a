"""Forms for raising a breach concern, moving it on and adding to its timeline.

Labels and hints are rendered unescaped by the GOV.UK template pack, so any that carry text typed
by a user (an organisation's name, an undertaking's text) are built with ``format_html``.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commitments.models import Sector, UndertakingSector
from compact_portal.bilingual import localised_html
from compact_portal.forms import DateField, GdsForm
from compact_portal.uploads import UploadValidator, cleaned_upload, upload_field
from disputes.models import Case, GuardFlag, TimelineEntry

UPLOAD_VALIDATOR = UploadValidator()
EVIDENCE_FIELDS = ("evidence_1", "evidence_2", "evidence_3")
OWN_ORGANISATION = _("A concern is raised about another organisation, not your own.")


class RespondentSearchForm(GdsForm, forms.Form):
    """The first step of raising a concern: find the organisation it is about by its name. Sent
    with GET; the page draws the ``<form>`` and its button, so the query string holds only ``q``."""

    q = forms.CharField(
        label=_("Name of the organisation"),
        help_text=_("Type all or part of its name, or its charity or company number."),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the name of the organisation the concern is about"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.inputs = []


def _by_outcome(items) -> list[dict]:
    """The undertakings of one question grouped by the outcome they serve, in order, each with its
    place in the whole question (for the checkbox's id)."""
    outcomes: list[dict] = []
    for counter, undertaking in enumerate(items, start=1):
        outcome = undertaking.outcome
        if not outcomes or outcomes[-1]["outcome"] != outcome:
            outcomes.append({"outcome": outcome, "choices": []})
        outcomes[-1]["choices"].append(
            {
                "value": str(undertaking.pk),
                "number": undertaking.number,
                "text": localised_html(undertaking, "text"),
                "counter": counter,
            }
        )
    return outcomes


class CaseForm(GdsForm, forms.Form):
    """Raise a concern. ``organisations`` are the user's own; ``respondent`` the organisation it is
    about, chosen beforehand by searching (``RespondentSearchForm``); ``undertakings`` those of the
    current editions, grouped into one question per Compact and sector. The edition is the one the
    chosen undertakings come from."""

    submit_label = _("Raise the concern")

    organisation = forms.ChoiceField(
        label=_("Which of your organisations is raising the concern?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation raising the concern"),
            "invalid_choice": _("Choose one of the organisations you belong to"),
        },
    )
    summary = forms.CharField(
        label=_("The concern in a sentence"),
        help_text=_("For example, the council closed the consultation after 3 weeks."),
        max_length=200,
        error_messages={
            "required": _("Enter the concern in a sentence"),
            "max_length": _("The concern in a sentence must be 200 characters or fewer"),
        },
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("Say what was done or not done, by whom, and how it affected you."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={
            "required": _("Enter what happened"),
            "max_length": _("What happened must be 10,000 characters or fewer"),
        },
    )
    happened_on = DateField(
        label=_("When did it happen?"),
        help_text=_("If it went on for a while, give the day it started. For example, 27 3 2026"),
        required_message=_("Enter the date it happened"),
    )
    outcome_sought = forms.CharField(
        label=_("What would you like to happen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": _("Enter what you would like to happen"),
            "max_length": _("What you would like to happen must be 5,000 characters or fewer"),
        },
    )
    withhold_name = forms.BooleanField(
        label=capfirst(Case._meta.get_field("withhold_name").verbose_name),
        help_text=format_lazy(
            "{} {}",
            Case._meta.get_field("withhold_name").help_text,
            _(
                "A file’s content can name you too, in its text, a letterhead or a signature. The details "
                "saved inside a file, like its author, are removed, and the coordinator checks each file and "
                "entry you share before the other party sees it, but remove your name from what you write and "
                "upload where you can."
            ),
        ),
        required=False,
    )
    evidence_1 = upload_field(_("Evidence (optional)"), UPLOAD_VALIDATOR.hint)
    evidence_2 = upload_field(_("More evidence (optional)"))
    evidence_3 = upload_field(_("More evidence (optional)"))

    def __init__(self, *args, organisations=(), respondent=None, undertakings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.respondent = respondent
        self.undertakings = {str(u.pk): u for u in undertakings}
        self.fixed_organisation = None
        if len(self.organisations) == 1:
            self.fixed_organisation = next(iter(self.organisations.values()))
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
        # One question per Compact and sector, inserted before "what happened": the sector of the
        # organisation the concern is about first, then the joint undertakings (they bind both sectors,
        # so either party can be held to them), each grouped by outcome; the other sector's
        # undertakings one click away, in a "details" that opens by itself when one of them is chosen.
        groups: dict[tuple, list] = {}
        respondent_sector = getattr(respondent, "sector", Sector.PUBLIC)

        def binds_respondent(sector: str) -> bool:
            return sector in (respondent_sector, UndertakingSector.JOINT)

        def question_order(undertaking) -> tuple:
            rank = 0 if undertaking.sector == respondent_sector else 1 if binds_respondent(undertaking.sector) else 2
            return (undertaking.edition.compact.name, undertaking.edition_id, rank)

        for undertaking in sorted(undertakings, key=question_order):
            groups.setdefault((undertaking.edition, undertaking.sector), []).append(undertaking)
        self.undertaking_fields = []
        several_compacts = len({edition.pk for edition, _sector in groups}) > 1
        layouts = {}
        fields = {}
        for name, field in self.fields.items():
            if name == "what_happened":
                for (edition, sector), items in groups.items():
                    key = f"undertakings_{edition.pk}_{sector}"
                    label = {
                        UndertakingSector.VCS: gettext("Undertakings the voluntary and community sector made"),
                        UndertakingSector.JOINT: gettext("Undertakings both sectors made together"),
                    }.get(sector, gettext("Undertakings public bodies made"))
                    if several_compacts:
                        label = format_html("{} ({})", label, edition.compact.name)
                    fields[key] = forms.MultipleChoiceField(
                        label=label,
                        help_text=gettext("Choose each undertaking that was not kept.") if not fields else "",
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                        choices=[
                            Choice(str(u.pk), format_html("{} {}", u.number, localised_html(u, "text"))) for u in items
                        ],
                        error_messages={"invalid_choice": _("Choose undertakings from the list")},
                    )
                    layouts[key] = Field(
                        key,
                        template="disputes/includes/undertaking_checkboxes.html",
                        context={
                            "outcomes": _by_outcome(items),
                            "tucked_away": not binds_respondent(sector),
                            "details_summary": (
                                gettext("Undertakings for the voluntary and community sector")
                                if sector == Sector.VCS
                                else gettext("Undertakings for public bodies")
                            ),
                        },
                    )
                    self.undertaking_fields.append(key)
            fields[name] = field
        self.fields = fields
        self.helper.layout = Layout(*[layouts.get(name, name) for name in self.fields])

    @property
    def chosen_organisation(self):
        return self.fixed_organisation or self.organisations.get(self.cleaned_data.get("organisation"))

    def clean(self):
        data = super().clean()
        organisation = self.chosen_organisation
        respondent = self.respondent
        if respondent is None:
            self.add_error(None, gettext("Choose the organisation the concern is about"))
        elif organisation is not None and organisation.pk == respondent.pk:
            self.add_error(None, OWN_ORGANISATION)
        chosen = [self.undertakings[pk] for key in self.undertaking_fields for pk in data.get(key) or []]
        first = self.undertaking_fields[0] if self.undertaking_fields else None
        if not chosen:
            if first:
                self.add_error(first, gettext("Choose at least one undertaking that was not kept"))
            else:
                self.add_error(None, gettext("Choose at least one undertaking that was not kept"))
        elif len({u.edition_id for u in chosen}) > 1:
            self.add_error(first, gettext("Choose undertakings from one Compact only"))
        data["chosen_undertakings"] = chosen
        data["chosen_respondent"] = respondent
        self.evidence = []
        for name in EVIDENCE_FIELDS:
            if data.get(name):
                try:
                    self.evidence.append(cleaned_upload(data[name]))
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


class MoveForm(GdsForm, forms.Form):
    """Confirm a move, with a note (required when closing, except on withdrawal) and, when closing,
    the lessons learned."""

    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": _("The note must be 5,000 characters or fewer")},
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned (optional)"),
        help_text=_("What the Compact’s partners could do differently, for the annual review."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": _("The lessons learned must be 5,000 characters or fewer")},
    )

    def __init__(self, *args, to: str, **kwargs):
        stage, _sep, self.outcome = to.partition(":")
        self.closing = stage == Case.Stage.CLOSED
        self.submit_label = _("Close the concern") if self.closing else _("Move the concern on")
        super().__init__(*args, **kwargs)
        if self.closing and self.outcome != Case.Outcome.WITHDRAWN:
            self.fields["note"].label = _("How was the concern settled?")
            self.fields["note"].help_text = _("It is recorded with the outcome, and both parties can read it.")
        else:
            self.fields["note"].label = _("Note (optional)")
            self.fields["note"].help_text = _("Both parties can read it.")
        if not self.closing:
            del self.fields["lessons_learned"]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if self.closing and self.outcome != Case.Outcome.WITHDRAWN and not note:
            raise forms.ValidationError(gettext("Say how the concern was settled: it is recorded with the outcome"))
        return note


class EntryForm(GdsForm, forms.Form):
    """Add a note, letter, meeting, decision or document. Only the coordinator chooses who sees it."""

    submit_label = _("Add to the timeline")

    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in TimelineEntry.Kind if k != TimelineEntry.Kind.STAGE],
        initial=TimelineEntry.Kind.NOTE,
        error_messages={
            "required": _("Choose what you are adding"),
            "invalid_choice": _("Choose one of the options"),
        },
    )
    text = forms.CharField(
        label=_("Details"),
        help_text=_("For a meeting, say when it was, who came and what was agreed."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
        error_messages={"max_length": _("The details must be 10,000 characters or fewer")},
    )
    file = upload_field(_("File (optional)"), UPLOAD_VALIDATOR.hint)
    visibility = forms.ChoiceField(
        label=_("Who can see it?"),
        widget=forms.RadioSelect,
        choices=TimelineEntry.Visibility.choices,
        initial=TimelineEntry.Visibility.SHARED,
        error_messages={
            "required": _("Choose who can see it"),
            "invalid_choice": _("Choose one of the options"),
        },
    )

    def __init__(self, *args, coordinator: bool, withheld_complainant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = None
        if not coordinator:
            del self.fields["visibility"]
        if withheld_complainant:
            self.fields["file"].help_text = format_html(
                "{} {}",
                UPLOAD_VALIDATOR.hint,
                gettext(
                    "Your organisation’s name is kept from the other party, but a file’s content can name you, "
                    "in its text, a letterhead or a signature. The coordinator checks what you add before the "
                    "other party sees it."
                ),
            )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file:
            return None
        cleaned, self.original = cleaned_upload(file)
        return cleaned

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", gettext("Write something or attach a file"))
        return data

    @property
    def chosen_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or TimelineEntry.Visibility.SHARED


class CheckForm(GdsForm, forms.Form):
    """The coordinator's check of what a withheld complainant shares: release it to the other
    party, or return it to the complainant with a reason."""

    submit_label = _("Save the decision")
    RELEASE, RETURN = "release", "return"

    decision = forms.ChoiceField(
        label=_("Can the other party see it?"),
        help_text=_("Check that nothing in it, its text or its files, names the complainant or points to them."),
        widget=forms.RadioSelect,
        choices=[
            (RELEASE, _("Yes, release it to the other party")),
            (RETURN, _("No, return it to the complainant with a reason")),
        ],
        error_messages={
            "required": _("Choose whether to release it or return it"),
            "invalid_choice": _("Choose one of the options"),
        },
    )
    reason = forms.CharField(
        label=_("Reason, if you return it"),
        help_text=_("The complainant is told, for example: the letterhead on page 2 names your organisation."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("The reason must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, summary: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if summary is not None:
            self.fields["summary"] = forms.CharField(
                label=_("The concern in a sentence, as the other party will read it"),
                help_text=_(
                    "It was filled in from a funding notice or a consultation: reword it if it points to "
                    "the complainant."
                ),
                max_length=200,
                required=False,
                initial=summary,
                error_messages={
                    "required": _("Enter the concern in a sentence"),
                    "max_length": _("The concern in a sentence must be 200 characters or fewer"),
                },
            )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Enter the reason it goes back to the complainant"))
        if data.get("decision") == self.RELEASE and "summary" in self.fields and not data.get("summary"):
            self.add_error("summary", gettext("Enter the concern in a sentence"))
        return data

    @property
    def release(self) -> bool:
        return self.cleaned_data["decision"] == self.RELEASE


class GuardReviewForm(GdsForm, forms.Form):
    """The coordinator's review of a flag raised by the guard against retaliation."""

    submit_label = _("Save the review")

    review = forms.ChoiceField(
        label=_("What did your review find?"),
        widget=forms.RadioSelect,
        choices=[
            (GuardFlag.Review.NO_LINK, GuardFlag.Review.NO_LINK.label),
            (GuardFlag.Review.NEEDS_EXPLANATION, GuardFlag.Review.NEEDS_EXPLANATION.label),
            (GuardFlag.Review.REFERRED, GuardFlag.Review.REFERRED.label),
        ],
        error_messages={
            "required": _("Choose what your review found"),
            "invalid_choice": _("Choose one of the options"),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What you looked at and why you decided so; only the Compact’s coordinators read it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": _("Enter a note on your review"),
            "max_length": _("The note must be 2,000 characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("review"), "note")
