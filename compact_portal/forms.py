from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django.utils.translation import gettext_lazy as _


class GdsForm:
    """A form drawn the GOV.UK way: crispy-forms-gds helper, one submit button, and no browser
    validation, so that every error is reported by the server in the page's error summary."""

    submit_label = _("Continue")
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))
