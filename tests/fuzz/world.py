"""One portal with something behind every form: a Compact with a published edition and a draft,
a council and a food bank (each with an admin), consultations open and awaiting feedback, a
funding notice, breach concerns in informal dialogue and at the formal challenge, signatures
in every state that has a form, an invitation and a password-reset link."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commitments.models import Edition
from consultations.models import Consultation
from disputes.models import Case
from signatories import services as signatory_services
from signatories.models import Membership, Organisation, Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import PrincipleFactory, build_edition
from tests.consultations.factories import ConsultationFactory, FeedbackItemFactory
from tests.disputes.factories import open_case
from tests.funding.factories import FundingNoticeFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory, signed_signature

D = datetime.date
CONSULTATION_TODAY = D(2027, 2, 1)  # the open consultation runs 4 January to 28 March 2027
CASE_TODAY = D(2026, 6, 1)


@dataclass
class FuzzWorld:
    compact: object
    edition: Edition
    draft: Edition
    coordinator: object
    officer: object
    vcs_member: object
    colleague: object
    council: Organisation
    food_bank: Organisation
    youth_club: Organisation
    open_consultation: Consultation
    closed_consultation: Consultation
    feedback_item: object
    notice: object
    informal_case: Case
    formal_case: Case
    pending: Signature
    signed: Signature
    reaffirm: Signature
    colleague_membership: Membership
    invitation_token: str
    invitation: object  # the open invitation of invitation_token
    pending_body: Organisation  # a public body awaiting a coordinator's approval
    reset_user: object

    def user(self, name: str):
        return None if name == "anonymous" else getattr(self, name)

    # Mediation, made only for the forms that need it (tests/mediation/factories.py).
    @cached_property
    def mediator_role(self):
        from tests.mediation.factories import accredit

        return accredit(compact=self.compact, by=self.coordinator, username="fuzz-mediator")

    @cached_property
    def mediator(self):
        return self.mediator_role.user

    def mediation(self, *, appointed: bool, withhold_name: bool = True):
        """A concern of the food bank against the council in mediation, the mediator proposed (and appointed)."""
        from mediation import services
        from tests.mediation.factories import case_in_mediation

        role = self.mediator_role
        case = case_in_mediation(
            complainant=self.food_bank,
            respondent=self.council,
            edition=self.edition,
            by=self.vcs_member,
            withhold_name=withhold_name,
        )
        mediation = case.mediation
        if appointed:
            mediation = services.mediator_appoint(mediation=mediation, mediator=role, by=self.coordinator)
        return mediation

    @property
    def reset_path(self) -> str:
        uid = urlsafe_base64_encode(force_bytes(self.reset_user.pk))
        return f"/accounts/password-reset/{uid}/{default_token_generator.make_token(self.reset_user)}/"


def build_fuzz_world(*, compact, edition, coordinator, officer, vcs_member) -> FuzzWorld:
    Membership.objects.filter(user__in=[officer, vcs_member]).update(role=Membership.Role.ADMIN)
    council, food_bank = officer.organisations.get(), vcs_member.organisations.get()
    youth_club = OrganisationFactory(name="Riverside Youth Club")
    MembershipFactory(user=vcs_member, organisation=youth_club, role=Membership.Role.ADMIN)
    colleague = UserFactory(username="colleague", first_name="Ann", last_name="Other")
    colleague_membership = MembershipFactory(user=colleague, organisation=food_bank)

    draft = build_edition(compact=compact, status=Edition.Status.DRAFT, name="Draft edition", outcomes=1)
    PrincipleFactory(edition=draft, title="Openness", position=3)
    draft.codes_of_practice.create(title="Funding", body="Three months' notice.", position=1)

    open_consultation = ConsultationFactory(edition=edition, compact=compact, organisation=council)
    closed_consultation = ConsultationFactory(
        edition=edition,
        compact=compact,
        organisation=council,
        title="Closed consultation",
        early_notice_on=D(2026, 9, 1),
        opens_on=D(2026, 10, 5),
        closes_on=D(2026, 12, 27),
    )
    feedback_item = FeedbackItemFactory(consultation=closed_consultation)
    notice = FundingNoticeFactory(compact=compact, edition=edition, issuer=council, recipient=food_bank)

    informal_case = open_case(complainant=food_bank, respondent=council, edition=edition, by=vcs_member)
    formal_case = Case.objects.create(
        compact=compact,
        edition=edition,
        complainant=food_bank,
        respondent=council,
        summary="Our grant was cut with two weeks' notice",
        what_happened="The council ended the grant by email.",
        happened_on=D(2026, 5, 11),
        outcome_sought="Restore the grant.",
        stage=Case.Stage.FORMAL,
        stage_started_on=D(2026, 5, 20),
        stage_due_on=D(2026, 6, 20),
        raised_by=vcs_member,
    )
    formal_case.undertakings.set(edition.undertakings.filter(number__in=["1.1", "2.2"]))

    pending = SignatureFactory(organisation=OrganisationFactory(name="Pending Group"), edition=edition)
    signed = signed_signature(organisation=council, edition=edition)
    reaffirm = SignatureFactory(
        organisation=youth_club, edition=edition, status=Signature.Status.REAFFIRMATION_REQUESTED
    )
    invitation, token = signatory_services.invitation_send(
        organisation=food_bank, email="newcomer@example.org", role=Membership.Role.MEMBER, by=vcs_member
    )
    return FuzzWorld(
        compact=compact,
        edition=edition,
        draft=draft,
        coordinator=coordinator,
        officer=officer,
        vcs_member=vcs_member,
        colleague=colleague,
        council=council,
        food_bank=food_bank,
        youth_club=youth_club,
        open_consultation=open_consultation,
        closed_consultation=closed_consultation,
        feedback_item=feedback_item,
        notice=notice,
        informal_case=informal_case,
        formal_case=formal_case,
        pending=pending,
        signed=signed,
        reaffirm=reaffirm,
        colleague_membership=colleague_membership,
        invitation_token=token,
        invitation=invitation,
        pending_body=signatory_services.organisation_create(
            by=colleague, name="Riverside Parish Council", sector="public", organisation_type="council"
        ),
        reset_user=UserFactory(username="forgetful", email="forgetful@example.org"),
    )
