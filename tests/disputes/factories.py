"""Breach concerns for tests, opened through the service as a user would open them."""

import datetime

from disputes import services
from disputes.models import Case
from tests.consultations.factories import PDF_BYTES, PNG_BYTES, upload  # noqa: F401 (re-exported)

D = datetime.date
TODAY = D(2026, 6, 1)  # a Monday


def open_case(*, complainant, respondent, edition, by, withhold_name=False, numbers=("1.3",), today=TODAY, **kwargs):
    """A concern in informal dialogue, about the undertakings numbered ``numbers`` of ``edition``."""
    fields = {
        "summary": "The council cut our grant without notice",
        "what_happened": "A letter arrived on Friday ending the grant on Monday.",
        "happened_on": D(2026, 5, 15),
        "outcome_sought": "Three months' notice, as the Compact says.",
    }
    fields.update(kwargs)
    return services.case_open(
        complainant=complainant,
        respondent=respondent,
        edition=edition,
        undertakings=list(edition.undertakings.filter(number__in=numbers)),
        by=by,
        withhold_name=withhold_name,
        today=today,
        **fields,
    )


class World:
    """The people of one concern: Riverside Food Bank (complainant) against Riverside Borough Council."""

    def __init__(self, *, compact, edition, officer, vcs_member, coordinator, stranger):
        from tests.accounts.factories import UserFactory
        from tests.signatories.factories import MembershipFactory, OrganisationFactory

        self.compact, self.edition, self.coordinator, self.stranger = compact, edition, coordinator, stranger
        self.officer, self.vcs_member = officer, vcs_member
        vcs_member.first_name, vcs_member.last_name = "Olwen", "Featherstonehaugh"
        vcs_member.save()
        self.food_bank = vcs_member.memberships.get().organisation
        self.council = officer.memberships.get().organisation
        # A named person of the complainant, whose name must not reach the council either.
        self.volunteer = UserFactory(username="volunteer", first_name="Priya", last_name="Quartermaine")
        MembershipFactory(user=self.volunteer, organisation=self.food_bank)
        self.outsider = MembershipFactory(organisation=OrganisationFactory(name="Unrelated Allotment Society")).user

    def open(self, **kwargs) -> Case:
        kwargs.setdefault("by", self.volunteer)
        return open_case(complainant=self.food_bank, respondent=self.council, edition=self.edition, **kwargs)
