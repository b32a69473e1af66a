import copy
import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from compact_portal.dates import date_range_problem

# Widgets that take one line of text: a line break in them can only come from a crafted request.
SINGLE_LINE_WIDGETS = (forms.TextInput, forms.EmailInput, forms.URLInput)


def text_box(widget: forms.Widget) -> forms.TextInput:
    """A number or web address box as a GOV.UK text input: GOV.UK Frontend styles (and marks in
    error) only ``TextInput`` boxes, and advises against ``type="number"`` (it changes a number when
    the page is scrolled and is hard to use with a screen reader); ``inputmode`` brings up the
    right keyboard on a phone instead."""
    attrs = {**widget.attrs, "spellcheck": "false"}
    box = forms.TextInput(attrs=attrs)
    if isinstance(widget, forms.NumberInput):
        attrs["inputmode"] = "numeric" if str(attrs.get("step", "1")) == "1" else "decimal"
    else:
        box.input_type = "url"
    box.is_required = widget.is_required
    return box


def one_line(value: str) -> str:
    """The text on one line: line breaks of every kind (and runs of spaces) become one space."""
    return " ".join(value.split())


class GdsForm:
    """A form drawn the GOV.UK way: crispy-forms-gds helper, one submit button, and no browser
    validation, so that every error is reported by the server in the page's error summary.

    Text typed into a one-line box stays on one line: a name with a line break in it would
    otherwise break an email's subject or a CSV row. Number and web address boxes are GOV.UK text
    inputs (see ``text_box``).

    A date typed into a field that has a ``date_range_problem(value)`` method (the GOV.UK date
    field) is checked against the platform's range (``compact_portal.dates``) here, after the
    form's own ``clean_<field>`` checks: a year such as 9999 is never accepted.
    """

    submit_label = _("Continue")
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))
        for field in self.fields.values():
            if type(field.widget) in (forms.NumberInput, forms.URLInput):
                field.widget = text_box(field.widget)
        welsh_beside_english(self)

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            field = self.fields.get(name)
            one_line_box = isinstance(field, forms.CharField) and isinstance(field.widget, SINGLE_LINE_WIDGETS)
            if one_line_box and isinstance(value, str):
                cleaned_data[name] = one_line(value)
        for name, field in self.fields.items():
            check = getattr(field, "date_range_problem", None)
            value = cleaned_data.get(name)
            problem = check(value) if check is not None and value is not None and name not in self.errors else None
            if problem:
                self.add_error(name, problem)
        return cleaned_data


class ConfirmForm(GdsForm, forms.Form):
    """Only a button, for pages that ask the user to confirm an action."""

    def __init__(self, *args, submit_label=None, warning=False, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        if warning:
            self.helper.inputs[0].field_classes = "govuk-button govuk-button--warning"


def posted_data(request):
    """The submitted data on POST (even when empty, as for a confirm button), else None."""
    return request.POST if request.method == "POST" else None


class QuickSelect(forms.Select):
    """A select written in Python: the same HTML as Django's templates write, without a template
    included for every option (a list of 200 Compacts took a third of a list page's time)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>', str(option["value"]), flatatt(option["attrs"]), option["label"]
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


class FilterForm(GdsForm, forms.Form):
    """The filters of a list page, drawn the GOV.UK way; the page supplies the <form method="get">
    and its buttons, so that the query string holds only the filters (no submit button's name).
    Its selects are ``QuickSelect``s."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.inputs = []
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                quick = QuickSelect(attrs=field.widget.attrs)
                quick.choices = field.widget.choices
                quick.is_required = field.widget.is_required
                field.widget = quick


class DateWidget(DateInputWidget):
    """The GOV.UK date input: day, month and year boxes that bring up a number keypad."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.attrs["inputmode"] = "numeric"


class DateField(DateInputField):
    """A date typed as day, month and year (the GOV.UK date input), with messages that say what to fix.

    The date must lie in the platform's range (``compact_portal.dates``: from 1990 to ten years
    ahead); ``name`` ("The closing date") names it in that message. ``today`` is a callable giving
    the day the range is counted from (the portal's today by default). The range is checked by
    ``GdsForm.clean`` (through ``date_range_problem``) after the form's own checks of the date, so
    that a tighter one ("must be today or in the past") speaks first.
    """

    widget = DateWidget

    def __init__(self, *, required_message, name="", today=None, **kwargs):
        self.date_name = name
        self.today = today or timezone.localdate
        fields = (
            forms.CharField(
                label=_("Day"),
                error_messages={"incomplete": _("The date must include a day")},
                validators=[RegexValidator(r"^[0-9]{1,2}$", _("Enter the day as a number, like 27"))],
            ),
            forms.CharField(
                label=_("Month"),
                error_messages={"incomplete": _("The date must include a month")},
                validators=[RegexValidator(r"^[0-9]{1,2}$", _("Enter the month as a number, like 3"))],
            ),
            forms.CharField(
                label=_("Year"),
                error_messages={"incomplete": _("The date must include a year")},
                validators=[RegexValidator(r"^[0-9]{4}$", _("Enter the year as 4 numbers, like 2026"))],
            ),
        )
        forms.MultiValueField.__init__(
            self,
            fields=fields,
            require_all_fields=False,
            error_messages={"required": required_message, "incomplete": required_message},
            **kwargs,
        )

    def compress(self, data_list):
        day, month, year = (list(data_list) + [None, None, None])[:3]
        if not (day and month and year):
            return None
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("Enter a real date, like 27 3 2026"), code="invalid") from None

    def date_range_problem(self, value) -> str | None:
        return date_range_problem(value, today=self.today(), name=str(self.date_name))


WELSH_HINT = _("Optional. Leave empty if there is no Welsh version yet.")


def welsh_field_for(english: forms.Field, *, label) -> forms.Field:
    """An optional Welsh field like ``english``: the same kind of box, size and limits, marked
    ``lang="cy"`` so that spell-checkers and screen readers use Welsh (docs/decisions 0017)."""
    field = copy.deepcopy(english)
    field.required = False
    field.label = label
    field.help_text = WELSH_HINT
    field.initial = None
    field.widget.attrs["lang"] = "cy"
    field.widget.is_required = False
    return field


def welsh_beside_english(form: forms.BaseForm) -> None:
    """Give each Welsh field of ``form`` (``name_cy`` beside ``name``) the English field's box and
    limits and put it right after the English one. A ModelForm lists the ``_cy`` fields in its Meta;
    their labels come from the models' verbose names (‘Undertaking (Welsh)’)."""
    ordered = {}
    welsh = {name: field for name, field in form.fields.items() if name.endswith("_cy")}
    for name, field in form.fields.items():
        if name in welsh:
            continue
        ordered[name] = field
        welsh_name = f"{name}_cy"
        if welsh_name in welsh:
            ordered[welsh_name] = welsh_field_for(field, label=welsh[welsh_name].label)
    for name, field in welsh.items():  # a Welsh field with no English one on this form
        if name not in ordered:
            ordered[name] = field
            field.required = False
            field.help_text = field.help_text or WELSH_HINT
            field.widget.attrs["lang"] = "cy"
    form.fields = ordered


def long_text(label, *, max_length: int, required_message="", help_text="", required=True) -> forms.CharField:
    """A GOV.UK textarea for a few paragraphs, with a length limit that says what to fix."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": required_message,
            "max_length": _("This must be %(limit_value)d characters or fewer"),
        },
    )
