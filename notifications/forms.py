from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from compact_portal.forms import ConfirmForm, GdsForm  # noqa: F401 - views use forms.ConfirmForm
from notifications.kinds import groups, switchable_kinds


class EmailPreferencesForm(GdsForm, forms.Form):
    """One group of checkboxes per kind of notification: ticked means "email me"."""

    submit_label = _("Save your choices")

    def __init__(self, *args, emailed: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = [group for group in groups() if switchable_kinds(group.code)]
        for group in self.groups:
            kinds = switchable_kinds(group.code)
            self.fields[group.code] = forms.MultipleChoiceField(
                label=group.title,
                help_text=format_lazy("{} {}", group.hint, _("Email me when…")),
                choices=[Choice(kind.code, kind.label, hint=kind.description) for kind in kinds],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[kind.code for kind in kinds if kind.code in emailed],
            )
        self.helper.layout = Layout(
            *(Field.checkboxes(group.code, legend_size=Size.MEDIUM, legend_tag="h2") for group in self.groups)
        )

    @property
    def emailed(self) -> set[str]:
        """The kinds ticked, once the form is valid."""
        return {code for group in self.groups for code in self.cleaned_data.get(group.code, [])}

    @property
    def kinds(self) -> list[str]:
        return [kind.code for group in self.groups for kind in switchable_kinds(group.code)]
