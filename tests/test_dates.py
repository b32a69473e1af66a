"""The platform's range of typed dates (compact_portal.dates) and the GOV.UK date field that checks it."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django import forms

from compact_portal import dates
from compact_portal.forms import DateField, GdsForm

D = datetime.date
TODAY = D(2026, 12, 4)


class OneDate(GdsForm, forms.Form):
    day = DateField(label="Day", required_message="Enter the date", today=lambda: TODAY)
    closing = DateField(
        label="Closing", required_message="Enter it", name="The closing date", today=lambda: TODAY, required=False
    )

    def clean_closing(self):
        closing = self.cleaned_data["closing"]
        if closing and closing.year == 9999:
            raise forms.ValidationError("The closing date is not the end of the world")
        return closing


def errors(**typed) -> dict:
    data = {}
    for name, (day, month, year) in typed.items():
        data |= {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}
    form = OneDate(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_the_range_runs_from_1990_to_the_end_of_the_tenth_year_ahead():
    assert D(1990, 1, 1) == dates.EARLIEST
    assert dates.latest(TODAY) == D(2036, 12, 31)
    assert dates.date_range_problem(D(2036, 12, 31), today=TODAY) is None
    assert dates.date_range_problem(D(1990, 1, 1), today=TODAY) is None
    assert dates.date_range_problem(D(2037, 1, 1), today=TODAY) == "The date must be before 1 January 2037"
    assert dates.date_range_problem(D(1989, 12, 31), today=TODAY, name="The date signed") == (
        "The date signed must be on or after 1 January 1990"
    )


def test_the_date_field_checks_the_range_by_default_and_names_the_date():
    assert errors(day=("4", "3", "2027")) == {}
    assert errors(day=("31", "12", "9999")) == {"day": ["The date must be before 1 January 2037"]}
    assert errors(day=("4", "3", "2027"), closing=("1", "1", "2037")) == {
        "closing": ["The closing date must be before 1 January 2037"]
    }
    assert errors(day=("1", "1", "1066")) == {"day": ["The date must be on or after 1 January 1990"]}


def test_the_forms_own_check_of_a_date_speaks_before_the_range():
    assert errors(day=("4", "3", "2027"), closing=("31", "12", "9999")) == {
        "closing": ["The closing date is not the end of the world"]
    }


@pytest.mark.parametrize(
    ("day", "delta", "expected"),
    [
        (D(2027, 3, 1), datetime.timedelta(weeks=12), D(2027, 5, 24)),
        (D(9999, 12, 31), datetime.timedelta(weeks=12), datetime.date.max),
        (D(9999, 12, 1), relativedelta(months=3), datetime.date.max),
        (D(1, 1, 5), -datetime.timedelta(days=30), datetime.date.min),
    ],
)
def test_adding_to_a_stored_date_never_overflows(day, delta, expected):
    assert dates.add(day, delta) == expected
