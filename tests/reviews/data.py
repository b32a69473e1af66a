"""Hand-built records for the annual review, with known answers, for the financial year 2025–26.

- Signed at 31 March 2026 to the edition in force: 2 councils, 1 police force, 1 charity (signed in
  the year: a council, the police and the charity; one council signed in 2024).
- A consultation by "Weir Valley Council" that closed in the year, too short with no reason and with
  no early notice; another that met the Compact.
- A funding notice by "Millbrook Borough Council" to "Quiet Lane Trust" with two weeks' notice.
- Concerns: 5 closed in the year (3 resolved, 1 not upheld, 1 withdrawn), each with a lesson; 1 raised in the year
  still informal. Every complainant is "Whistle Street Tenants".
- The action plan: one action done and one under way in the year, one of an earlier year; one piece
  of evidence accepted for the year and one still awaiting the coordinator's check.
"""

import datetime

from actionplans.models import Action, Evidence
from disputes.models import Case
from tests.actionplans.factories import ActionFactory, EvidenceFactory
from tests.commitments.factories import OutcomeFactory
from tests.consultations.factories import ConsultationFactory
from tests.funding.factories import FundingNoticeFactory
from tests.monitoring.factories import concern, edition
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory

D = datetime.date
YEAR = 2025
COMPLAINANT = "Whistle Street Tenants"
RECIPIENT = "Quiet Lane Trust"
ISSUER = "Millbrook Borough Council"
CONSULTER = "Weir Valley Council"
EVIDENCE = "The lunch club heard before the budget"
LESSONS = [
    "Ask groups before writing.",
    "Keep the time limits.",
    "Reply within a week.",
    "Say why, in writing.",
    "Share the budget early.",
]


def review_world(scale: int = 1):
    """The records above (``scale`` copies of the signatures, notices and consultations, for query
    counts); returns the Compact."""
    first = edition(published_on=D(2024, 4, 1))
    compact = first.compact
    SignatureFactory(organisation=PublicBodyFactory(), edition=first, status="signed", signed_on=D(2024, 6, 1))
    for _copy in range(scale):
        SignatureFactory(organisation=PublicBodyFactory(), edition=first, status="signed", signed_on=D(2025, 5, 1))
        SignatureFactory(
            organisation=PublicBodyFactory(organisation_type="police"),
            edition=first,
            status="signed",
            signed_on=D(2025, 6, 1),
        )
        SignatureFactory(
            organisation=OrganisationFactory(organisation_type="charity"),
            edition=first,
            status="signed",
            signed_on=D(2025, 7, 1),
        )
        ConsultationFactory(
            edition=first,
            organisation=PublicBodyFactory(name=CONSULTER),
            title="Library opening hours",
            early_notice_on=None,
            opens_on=D(2025, 9, 1),
            closes_on=D(2025, 9, 15),
            feedback_published_on=D(2025, 10, 1),
        )
        ConsultationFactory(
            edition=first,
            early_notice_on=D(2025, 5, 1),
            opens_on=D(2025, 6, 1),
            closes_on=D(2025, 9, 1),
            feedback_published_on=D(2025, 9, 20),
        )
        FundingNoticeFactory(
            compact=compact,
            edition=first,
            issuer=PublicBodyFactory(name=ISSUER),
            recipient=OrganisationFactory(name=RECIPIENT),
            notice_given_on=D(2025, 8, 1),
            effective_on=D(2025, 8, 15),
            exceptional=False,
        )
    for lesson, outcome in zip(LESSONS, ["resolved", "resolved", "resolved", "not_upheld", "withdrawn"], strict=True):
        case = concern(
            edition=first,
            stages=[("informal", D(2025, 5, 1), D(2025, 6, 1))],
            closed_on=D(2025, 5, 20),
            outcome=outcome,
        )
        Case.objects.filter(pk=case.pk).update(lessons_learned=lesson, summary=f"Secret summary {lesson}")
    concern(edition=first, stages=[("informal", D(2025, 11, 1), D(2025, 12, 1))])
    ActionFactory(
        compact=compact,
        title="Run a sign-up drive",
        lead_organisation=PublicBodyFactory(name="Plan Lead Council"),
        starts_on=D(2025, 4, 1),
        due_on=D(2025, 12, 31),
        status=Action.Status.DONE,
    )
    ActionFactory(compact=compact, title="Train every champion", starts_on=D(2025, 6, 1), due_on=D(2026, 9, 30))
    ActionFactory(compact=compact, title="An action of another year", starts_on=D(2023, 4, 1), due_on=D(2024, 3, 1))
    outcome = OutcomeFactory(edition=first, title="Groups are heard early")
    EvidenceFactory(outcome=outcome, year=YEAR, title=EVIDENCE, status=Evidence.Status.ACCEPTED)
    EvidenceFactory(outcome=outcome, year=YEAR, title="Unchecked evidence", status=Evidence.Status.SUBMITTED)
    complainant = OrganisationFactory(name=COMPLAINANT)
    Case.objects.filter(compact=compact).update(complainant=complainant)
    return compact
