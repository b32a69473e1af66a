"""The forms of the action plan and of evidence, drawn the GOV.UK way."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actionplans.models import Action, Evidence
from actionplans.rules import STATUS_TRANSITIONS
from compact_portal.bilingual import localised
from compact_portal.forms import DateField, GdsForm
from compact_portal.uploads import upload_field

TEXT_MAX_LENGTH = 10000


def _text(label, required_message="", help_text="", required=True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": required_message,
            "max_length": _("This must be %(limit_value)d characters or fewer"),
        },
    )


class StrandForm(GdsForm, forms.Form):
    submit_label = _("Add the strand")

    title = forms.CharField(
        label=_("Name of the strand"),
        max_length=200,
        error_messages={"required": _("Enter the name of the strand")},
    )
    title_cy = forms.CharField(label=_("Name of the strand (Welsh)"), max_length=200, required=False)


class ActionForm(GdsForm, forms.Form):
    """An action: what, in which strand, who leads it, when, what it serves and its target."""

    submit_label = _("Save the action")

    title = forms.CharField(
        label=_("What is the action?"), max_length=300, error_messages={"required": _("Enter the action")}
    )
    title_cy = forms.CharField(label=_("What is the action? (Welsh)"), max_length=300, required=False)
    strand = forms.ChoiceField(
        label=_("Which strand of the plan is it in?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the strand"), "invalid_choice": _("Choose one of the strands")},
    )
    lead_organisation = forms.ChoiceField(
        label=_("Which organisation leads it?"),
        help_text=_("Organisations that have signed the Compact."),
        error_messages={
            "required": _("Choose the lead organisation"),
            "invalid_choice": _("Choose an organisation that has signed the Compact"),
        },
    )
    lead_person = forms.CharField(
        label=_("Who leads it?"), max_length=200, error_messages={"required": _("Enter the name of the lead person")}
    )
    lead_email = forms.EmailField(
        label=_("The lead person’s email address (optional)"),
        help_text=_("If they have an account as a member of the lead organisation, they get its reminders."),
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    starts_on = DateField(
        label=_("Start date"),
        help_text=_("For example, 1 4 2027"),
        required_message=_("Enter the start date"),
        name=_("The start date"),
    )
    due_on = DateField(
        label=_("Due date"),
        help_text=_("For example, 31 3 2028"),
        required_message=_("Enter the due date"),
        name=_("The due date"),
    )
    serves = forms.ChoiceField(
        label=_("Which outcome or undertaking of the current edition does it serve? (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose an outcome or undertaking of the current edition")},
    )
    target_kind = forms.ChoiceField(
        label=_("Does it have a measurable target?"),
        help_text=_("Progress towards a target is counted from the portal’s data, not typed in."),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a target, or no target")},
    )
    target_number = forms.IntegerField(
        label=_("Target number"),
        help_text=_(
            "For more signatories, how many more. For a share, the percentage wanted (100 unless you give another)."
        ),
        required=False,
        min_value=0,
        max_value=100000,
        error_messages={
            "invalid": _("Enter the target as a whole number, like 15"),
            "min_value": _("The target must be 0 or more"),
            "max_value": _("The target must be 100,000 or fewer"),
        },
    )

    def __init__(self, *args, strands, organisations, outcomes, undertakings, action: Action | None = None, **kwargs):
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": action.title,
                    "title_cy": action.title_cy,
                    "strand": str(action.strand_id),
                    "lead_organisation": str(action.lead_organisation_id),
                    "lead_person": action.lead_person,
                    "lead_email": action.lead_user.email if action.lead_user else "",
                    "starts_on": action.starts_on,
                    "due_on": action.due_on,
                    "serves": f"u{action.undertaking_id}"
                    if action.undertaking_id
                    else (f"o{action.outcome_id}" if action.outcome_id else ""),
                    "target_kind": action.target_kind,
                    "target_number": action.target_number,
                },
            )
        super().__init__(*args, **kwargs)
        self.strands = {str(s.pk): s for s in strands}
        self.organisations = {str(o.pk): o for o in organisations}
        self.outcomes = {f"o{o.pk}": o for o in outcomes}
        self.undertakings = {f"u{u.pk}": u for u in undertakings}
        self.fields["strand"].choices = [(pk, str(s)) for pk, s in self.strands.items()]
        self.fields["lead_organisation"].choices = [("", gettext("Choose an organisation"))] + [
            (pk, o.name) for pk, o in self.organisations.items()
        ]
        serves = [("", gettext("None"))]
        for key, outcome in self.outcomes.items():
            serves.append(
                (
                    key,
                    gettext("Outcome %(number)s: %(title)s")
                    % {"number": outcome.number, "title": localised(outcome, "title").text},
                )
            )
        for key, undertaking in self.undertakings.items():
            serves.append(
                (
                    key,
                    gettext("Undertaking %(number)s: %(text)s")
                    % {"number": undertaking.number, "text": localised(undertaking, "text").text[:80]},
                )
            )
        self.fields["serves"].choices = serves
        self.fields["target_kind"].choices = [("", gettext("No target"))] + list(Action.Target.choices)

    def clean(self):
        data = super().clean()
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", gettext("The due date must be the same as or after the start date"))
        if data.get("target_kind") == Action.Target.VCS_SIGNATORIES and not data.get("target_number"):
            self.add_error("target_number", gettext("Enter how many more signatories are wanted"))
        if data.get("target_kind") in (Action.Target.CHAMPIONS, Action.Target.CONSULTATION_LENGTH):
            number = data.get("target_number")
            if number is not None and number > 100:
                self.add_error("target_number", gettext("A share must be 100 per cent or less"))
        organisation = self.organisations.get(data.get("lead_organisation") or "")
        email = (data.get("lead_email") or "").strip()
        data["lead_user"] = None
        if email and organisation is not None:
            user = (
                get_user_model()
                .objects.filter(email__iexact=email, memberships__organisation=organisation, is_active=True)
                .first()
            )
            if user is None:
                self.add_error(
                    "lead_email",
                    gettext("Nobody with this email address is a member of %(organisation)s")
                    % {"organisation": organisation.name},
                )
            data["lead_user"] = user
        return data

    def action_fields(self) -> dict:
        data = self.cleaned_data
        serves = data.get("serves") or ""
        undertaking = self.undertakings.get(serves)
        outcome = self.outcomes.get(serves) or (undertaking.outcome if undertaking else None)
        return {
            "title": data["title"],
            "title_cy": data.get("title_cy", ""),
            "strand": self.strands[data["strand"]],
            "lead_organisation": self.organisations[data["lead_organisation"]],
            "lead_person": data["lead_person"],
            "lead_user": data["lead_user"],
            "starts_on": data["starts_on"],
            "due_on": data["due_on"],
            "outcome": outcome,
            "undertaking": undertaking,
            "target_kind": data.get("target_kind") or "",
            "target_number": data.get("target_number") if data.get("target_kind") else None,
        }


class StatusForm(GdsForm, forms.Form):
    submit_label = _("Change the status")

    status = forms.ChoiceField(
        label=_("What is the action’s status now?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status"), "invalid_choice": _("Choose one of the statuses offered")},
    )
    reason = _text(
        _("If it is dropped, why?"),
        help_text=_("A dropped action needs a reason. It is shown on the public plan."),
        required=False,
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS[action.status]
        self.fields["status"].choices = [(v, label) for v, label in Action.Status.choices if v in allowed]

    def clean(self):
        data = super().clean()
        if data.get("status") == Action.Status.DROPPED and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Enter why the action is dropped"))
        return data


class NoteForm(GdsForm, forms.Form):
    submit_label = _("Add the note")

    written_on = DateField(
        label=_("Date of the progress"),
        help_text=_("For example, 27 3 2027"),
        required_message=_("Enter the date of the progress"),
        name=_("The date of the progress"),
    )
    text = _text(
        _("What progress was made?"),
        _("Enter the progress made"),
        _("Seen only by the Compact’s coordinators and the lead organisation’s members."),
    )


class EvidenceForm(GdsForm, forms.Form):
    submit_label = _("Send the evidence")

    organisation = forms.ChoiceField(
        label=_("Which organisation gives the evidence?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your organisation"),
            "invalid_choice": _("Choose one of your organisations that has signed the Compact"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Which outcome does it show being met?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome"), "invalid_choice": _("Choose an outcome of the Compact")},
    )
    year = forms.ChoiceField(
        label=_("Which financial year is it about?"),
        help_text=_("A financial year runs from 1 April to 31 March."),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the year"), "invalid_choice": _("Choose one of the years offered")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of evidence is it?"),
        widget=forms.RadioSelect,
        choices=Evidence.Kind.choices,
        error_messages={
            "required": _("Choose the kind of evidence"),
            "invalid_choice": _("Choose the kind of evidence"),
        },
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title for the evidence")}
    )
    text = _text(
        _("What happened?"),
        help_text=_("For a note or a case study. It becomes public if a coordinator accepts it."),
        required=False,
    )
    file = upload_field(_("File"))

    def __init__(self, *args, organisations, outcomes, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.outcomes = {str(o.pk): o for o in outcomes}
        self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
        self.fields["outcome"].choices = [
            (pk, gettext("Outcome %(number)s: %(title)s") % {"number": o.number, "title": localised(o, "title").text})
            for pk, o in self.outcomes.items()
        ]
        self.fields["year"].choices = years
        if len(self.organisations) == 1:
            self.fields["organisation"].initial = next(iter(self.organisations))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Evidence.Kind.FILE and not data.get("file"):
            self.add_error("file", gettext("Choose the file to upload"))
        if kind in (Evidence.Kind.NOTE, Evidence.Kind.CASE_STUDY) and not (data.get("text") or "").strip():
            self.add_error("text", gettext("Enter what happened"))
        return data


class DecideForm(GdsForm, forms.Form):
    submit_label = _("Save the decision")

    decision = forms.ChoiceField(
        label=_("Do you accept this evidence?"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", _("Accept it: it becomes public in the annual review")),
            ("return", _("Return it to the organisation")),
        ],
        error_messages={
            "required": _("Choose whether to accept the evidence"),
            "invalid_choice": _("Choose accept or return"),
        },
    )
    reason = _text(
        _("If you return it, why?"), help_text=_("The organisation’s members see the reason."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Enter why the evidence is returned"))
        return data
