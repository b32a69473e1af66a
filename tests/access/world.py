"""One world of data for the access matrix: every object a URL of the portal can name, and one
person for each role the matrix asks about. Built once per test module (see test_access_matrix.py).

Two Compacts: Riverside (``a``), coordinated by ``coordinator``, and Hillside (``b``), coordinated by
``other_coordinator``. Riverside has a superseded, a published (current) and a draft edition.

People and where they belong:

- ``unrelated``: admin of the Unrelated Allotment Society, a VCS group that is party to nothing here;
- ``vcs_member`` / ``vcs_admin``: a member / an admin of Riverside Food Bank (VCS);
- ``officer``: an admin of Riverside Borough Council (public body);
- ``coordinator``, ``other_coordinator``: of Riverside, of Hillside; members of no organisation;
- ``superuser``: staff and superuser;
- ``pending_officer`` (not a column of the matrix): admin of "Riverside Borough Counсil" (a Cyrillic "с"),
  a public body that a VCS member added and no coordinator has approved: on the routes of
  ``matrix.PENDING_OFFICER_ROUTES`` it must get no officer's answer.
- ``mediator``, ``proposed_mediator`` (not columns either): accredited mediators of Riverside, members of
  no organisation; ``mediator`` is appointed to ``mediation_case``, ``proposed_mediator`` only proposed:
  see ``matrix.mediator_entries``.
- ``national`` (not a column of the matrix either): in the national body, a member of no organisation and
  coordinator of nothing: on every route they get what someone unrelated gets (``matrix.national_entries``),
  never a confidential page; only the national pages are theirs.

Under the Hillside Compact, the allotment society (``unrelated``'s) has signed, has a funding notice from
Hillside Fire Service and a concern against it: none of it is anything to the Riverside people.
What lies between them, all under the Riverside Compact: the food bank's application to sign the
current edition (pending, applied for by ``vcs_member``); the council's request to re-affirm; the
council's consultation (open now), the food bank's response with a file; the council's funding
notice to the food bank; the food bank's concern against the council at the formal-challenge stage,
with a shared file, an internal (coordinator-only) file and a ready challenge letter.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from accounts.models import SignOnIdentity
from commitments import pdf
from commitments.models import CompactLogo, Edition, EditionDocument
from disputes import services as dispute_services
from disputes.models import Case, CaseView, ChallengeLetter, TimelineEntry
from funding.models import NoticeStep
from notifications import services as notification_services
from notifications.models import BouncingAddress, Notification, ReminderClaim
from signatories import services as signatory_services
from signatories.models import Membership, SignatureEvent
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, build_edition
from tests.consultations.factories import PDF_BYTES, ConsultationFactory, ResponseFactory, upload
from tests.funding.factories import FundingNoticeFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, SignatureFactory

# The roles, in the order of the columns of the matrix.
ROLES = (
    "anonymous",
    "unrelated",
    "vcs_member",
    "vcs_admin",
    "officer",
    "coordinator",
    "other_coordinator",
    "superuser",
)


@dataclass
class World:
    today: datetime.date
    users: dict = field(default_factory=dict)  # role -> User (no entry for anonymous)
    sessions: dict = field(default_factory=dict)  # role -> session key of a signed-in session
    a: object = None  # Riverside Compact
    b: object = None  # Hillside Compact
    a_superseded: Edition = None
    a_current: Edition = None
    a_draft: Edition = None
    b_current: Edition = None
    b_draft: Edition = None
    draft_principle: object = None  # a principle of a_draft
    a_logo: object = None  # a logo on the cover of Compact a's PDF
    food_bank: object = None
    council: object = None
    allotments: object = None
    fire_service: object = None
    member_membership: Membership = None  # vcs_member's membership of the food bank
    pending: object = None  # the food bank's application to sign a_current
    reaffirm: object = None  # the council's request to re-affirm a_current
    consultation: object = None
    response: object = None
    notice: object = None
    hillside_signature: object = None  # the allotment society's signature of b_current (signed)
    hillside_notice: object = None  # Hillside Fire Service → the allotment society, Hillside Compact
    hillside_case: Case = None  # the allotment society against Hillside Fire Service
    case: Case = None
    guard_flag: object = None  # the council's notice to the food bank, flagged for the Riverside coordinator
    shared_entry: TimelineEntry = None
    internal_entry: TimelineEntry = None
    letter: ChallengeLetter = None
    pending_body: object = None  # a public body awaiting a coordinator's approval (pending_officer's)
    invitation: object = None  # the open invitation (invitation_token's)
    invitation_token: str = ""
    used_invitation_token: str = ""
    calendar_token: str = ""
    national_role: object = None  # the national user's role (national)
    plan_strand: object = None  # a strand the Riverside coordinator added to the plan
    plan_action: object = None  # an action of Riverside's plan, led by the food bank, with a note
    evidence: object = None  # the council's evidence (a file), awaiting the coordinator's check
    accepted_evidence: object = None  # the council's evidence (a file), accepted: public
    mediator_role: object = None  # ``mediator``'s accreditation (for Riverside, by its coordinator)
    mediation_case: Case = None  # food bank v council, name withheld, in mediation, ``mediator`` appointed
    proposed_case: Case = None  # food bank v council, in mediation, nobody appointed yet
    proposal: object = None  # ``mediator``'s proposal for proposed_case
    mediation_shared_entry: TimelineEntry = None  # the council's file on mediation_case's shared timeline
    mediation_internal_entry: TimelineEntry = None  # the coordinator's internal file on mediation_case
    mediation_held_entry: TimelineEntry = None  # the withheld food bank's file, waiting for the coordinator's check

    def user(self, role: str):
        return self.users.get(role)


def _membership(user, organisation, role=Membership.Role.MEMBER) -> Membership:
    return MembershipFactory(user=user, organisation=organisation, role=role)


def build_world() -> World:
    today = timezone.localdate()
    w = World(today=today)
    u = w.users

    u["unrelated"] = UserFactory(username="unrelated")
    u["vcs_member"] = UserFactory(username="vcs-member")
    u["vcs_admin"] = UserFactory(username="vcs-admin")
    u["officer"] = UserFactory(username="officer")
    u["coordinator"] = UserFactory(username="coordinator")
    u["other_coordinator"] = UserFactory(username="other-coordinator")
    u["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    u["pending_officer"] = UserFactory(username="pending-officer")
    u["national"] = UserFactory(username="national")
    u["mediator"] = UserFactory(username="mediator")
    u["proposed_mediator"] = UserFactory(username="proposed-mediator")

    # --- Compacts and editions ---
    w.a = CompactFactory(name="Riverside Compact", area="Riverside", slug="riverside", coordinators=[u["coordinator"]])
    w.b = CompactFactory(
        name="Hillside Compact", area="Hillside", slug="hillside", coordinators=[u["other_coordinator"]]
    )
    w.a_superseded = build_edition(
        compact=w.a, status=Edition.Status.SUPERSEDED, name="First edition", published_on=datetime.date(2020, 4, 1)
    )
    w.a_current = build_edition(
        compact=w.a, name="Refreshed edition", based_on=w.a_superseded, published_on=datetime.date(2025, 4, 1)
    )
    w.a_draft = build_edition(compact=w.a, status=Edition.Status.DRAFT, name="Draft edition", based_on=w.a_current)
    w.draft_principle = w.a_draft.principles.order_by("pk").first()
    w.a_logo = CompactLogo.objects.create(
        compact=w.a, organisation="Access Borough Council", content_type="image/png", image=b"", sha256=""
    )
    w.b_current = build_edition(compact=w.b, name="Hillside edition")
    w.b_draft = build_edition(compact=w.b, status=Edition.Status.DRAFT, name="Hillside draft")

    # --- Organisations ---
    w.food_bank = OrganisationFactory(name="Riverside Food Bank")
    w.council = PublicBodyFactory(name="Riverside Borough Council")
    w.allotments = OrganisationFactory(name="Unrelated Allotment Society")
    w.fire_service = PublicBodyFactory(name="Hillside Fire Service", organisation_type="fire")
    w.member_membership = _membership(u["vcs_member"], w.food_bank)
    _membership(u["vcs_admin"], w.food_bank, Membership.Role.ADMIN)
    _membership(u["officer"], w.council, Membership.Role.ADMIN)
    _membership(u["unrelated"], w.allotments, Membership.Role.ADMIN)
    w.pending_body = signatory_services.organisation_create(
        by=u["pending_officer"], name="Riverside Borough Coun\u0441il", sector="public", organisation_type="council"
    )

    # --- Signatures ---
    w.pending = SignatureFactory(organisation=w.food_bank, edition=w.a_current, applied_by=u["vcs_member"])
    w.pending.signed_form.save("signed-form.pdf", ContentFile(PDF_BYTES))  # the scan (the coordinator's alone)
    SignatureEvent.objects.create(signature=w.pending, old_status="", new_status="pending", by=u["vcs_member"])
    SignatureFactory(organisation=w.council, edition=w.a_superseded, status="signed")
    w.reaffirm = SignatureFactory(organisation=w.council, edition=w.a_current, status="reaffirm")
    w.hillside_signature = SignatureFactory(organisation=w.allotments, edition=w.b_current, status="signed")

    # --- A consultation, open now, with a response and its file ---
    w.consultation = ConsultationFactory(
        edition=w.a_current,
        organisation=w.council,
        early_notice_on=today - datetime.timedelta(days=60),
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    w.consultation.document.save("proposal.pdf", ContentFile(PDF_BYTES))
    w.response = ResponseFactory(consultation=w.consultation, organisation=w.food_bank, submitted_by=u["vcs_member"])
    w.response.document.save("our-response.pdf", ContentFile(PDF_BYTES))

    # --- A funding-change notice ---
    w.notice = FundingNoticeFactory(compact=w.a, edition=w.a_current, issuer=w.council, recipient=w.food_bank)
    # ... and the food bank's reply to it, with a file (issue 16).
    w.notice_step = NoticeStep(
        notice=w.notice,
        kind=NoticeStep.Kind.REPLY,
        side=NoticeStep.Side.RECIPIENT,
        organisation=w.food_bank,
        author=u["vcs_member"],
        text="Please think again: forty people rely on the lunch club.",
        file_name="our-reply.pdf",
        recorded_on=today,
    )
    w.notice_step.file.save("our-reply.pdf", ContentFile(PDF_BYTES))

    # --- Under the Hillside Compact, between the allotment society and the fire service ---
    w.hillside_notice = FundingNoticeFactory(
        compact=w.b, edition=w.b_current, issuer=w.fire_service, recipient=w.allotments
    )
    w.hillside_case = dispute_services.case_open(
        complainant=w.allotments,
        respondent=w.fire_service,
        edition=w.b_current,
        undertakings=list(w.b_current.undertakings.filter(number="1.1")),
        by=u["unrelated"],
        summary="The fire service closed our site without asking",
        what_happened="The gates were locked.",
        happened_on=today - datetime.timedelta(days=5),
        outcome_sought="Talk to us first.",
        today=today,
    )

    # --- A concern at the formal-challenge stage, with files and a letter ---
    w.case = dispute_services.case_open(
        complainant=w.food_bank,
        respondent=w.council,
        edition=w.a_current,
        undertakings=list(w.a_current.undertakings.filter(number__in=["1.1", "1.3"])),
        by=u["vcs_member"],
        summary="The council cut our grant without notice",
        what_happened="A letter arrived on Friday ending the grant on Monday.",
        happened_on=today - datetime.timedelta(days=10),
        outcome_sought="Three months' notice, as the Compact says.",
        today=today,
    )
    w.case = dispute_services.case_move(case=w.case, to="formal", by=u["vcs_member"], today=today)
    w.shared_entry = dispute_services.timeline_add(
        case=w.case, by=u["vcs_member"], kind=TimelineEntry.Kind.DOCUMENT, text="Evidence", file=upload("grant.pdf")
    )
    w.internal_entry = dispute_services.timeline_add(
        case=w.case,
        by=u["coordinator"],
        kind=TimelineEntry.Kind.NOTE,
        text="Coordinator's own note",
        visibility=TimelineEntry.Visibility.INTERNAL,
        file=upload("notes.pdf"),
    )
    w.letter = ChallengeLetter.objects.create(
        case=w.case,
        addressed_to="Director of Adult Services",
        response_due_on=today + datetime.timedelta(days=20),
        requested_by=u["vcs_member"],
        status=ChallengeLetter.Status.READY,
        rendered_at=timezone.now(),
    )
    w.letter.file.save("formal-challenge.pdf", ContentFile(PDF_BYTES))
    CaseView.objects.create(case=w.case, user=u["coordinator"])

    # --- A concern with the name withheld, drawn from the funding notice: held for the coordinator's
    # check with its evidence (cleaned, the original kept for the coordinator) ---
    from compact_portal.uploads import cleaned_upload
    from tests.disputes.factories import pdf_naming

    w.withheld_case = dispute_services.case_open(
        complainant=w.food_bank,
        respondent=w.council,
        edition=w.a_current,
        undertakings=list(w.a_current.undertakings.filter(number="1.1")),
        by=u["vcs_member"],
        summary="The change to our funding did not keep to the Compact.",
        what_happened="Two weeks' notice.",
        happened_on=today - datetime.timedelta(days=3),
        outcome_sought="Three months' notice.",
        withhold_name=True,
        source_funding_notice=w.notice,
        evidence=[cleaned_upload(upload("food-bank-letter.pdf", pdf_naming("Riverside Food Bank")))],
        today=today,
    )
    w.withheld_entry = w.withheld_case.timeline.get()
    # The guard against retaliation: the council's notice to the food bank, which has concerns against it.
    w.guard_flag = dispute_services.guard_check(
        compact=w.a, body=w.council, organisation=w.food_bank, on=today, funding_notice=w.notice
    )

    # --- The current edition's PDF, made ---
    document = EditionDocument.objects.create(
        edition=w.a_current,
        content_hash=pdf.content_hash(pdf.edition_pdf_html(w.a_current)),
        status=EditionDocument.Status.READY,
        rendered_at=timezone.now(),
    )
    document.file.save("riverside.pdf", ContentFile(PDF_BYTES))
    document.size = len(PDF_BYTES)
    document.save()
    signing = EditionDocument.objects.create(
        edition=w.a_current,
        variant=EditionDocument.Variant.SIGNING,
        content_hash=pdf.content_hash(pdf.edition_pdf_html(w.a_current, variant=EditionDocument.Variant.SIGNING)),
        status=EditionDocument.Status.READY,
        rendered_at=timezone.now(),
    )
    signing.file.save("riverside-for-signing.pdf", ContentFile(PDF_BYTES))
    signing.size = len(PDF_BYTES)
    signing.save()
    for variant, language in (("", "cy"), (EditionDocument.Variant.SIGNING, "cy")):
        made = EditionDocument.objects.create(
            edition=w.a_current,
            variant=variant,
            language=language,
            content_hash=pdf.content_hash(pdf.edition_pdf_html(w.a_current, variant=variant, language=language)),
            status=EditionDocument.Status.READY,
            rendered_at=timezone.now(),
        )
        made.file.save(f"riverside-{variant or 'reading'}-{language}.pdf", ContentFile(PDF_BYTES))
        made.size = len(PDF_BYTES)
        made.save()

    # --- Invitations, the calendar's secret, and rows for the admin (opening the case notified everyone) ---
    w.invitation, w.invitation_token = signatory_services.invitation_send(
        organisation=w.food_bank, email="new.volunteer@example.org", role="member", by=u["vcs_admin"]
    )
    used, w.used_invitation_token = signatory_services.invitation_send(
        organisation=w.food_bank, email="old.volunteer@example.org", role="member", by=u["vcs_admin"]
    )
    used.accepted_at = timezone.now()
    used.save(update_fields=["accepted_at"])
    w.calendar_token = notification_services.organisation_calendar_token(organisation=w.food_bank)
    ReminderClaim.objects.create(
        kind="signature_pending",
        subject_key=f"signature:{w.pending.pk}",
        recipient_email=u["coordinator"].email,
        due_on=today,
        claimed_at=timezone.now(),
    )
    _action_plan(w)
    _mediation(w)
    Group.objects.create(name="Editors")
    from national.services import national_role_grant

    w.national_role = national_role_grant(email=u["national"].email, by=u["superuser"])
    _axes_rows(u["unrelated"].username)
    # Emails to the food bank's member bounce (Notify said so); the admin's and the coordinator's rows.
    bounced = Notification.objects.filter(recipient=u["vcs_member"]).order_by("pk").first()
    bounced.delivery_status = "permanent-failure"
    bounced.save(update_fields=["delivery_status"])
    BouncingAddress.objects.create(email=u["vcs_member"].email.lower(), since=timezone.now(), notification=bounced)
    SignOnIdentity.objects.create(
        user=u["officer"], issuer="https://sign-in.riverside.example", subject="officer-1", email=u["officer"].email
    )

    # --- A signed-in session for each role, reused by every request ---
    for role, user in u.items():
        client = Client()
        client.force_login(user)
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


def _action_plan(w: World) -> None:
    """Riverside's plan: an action led by the food bank (with an internal note) and the council's evidence."""
    from actionplans import services as plan_services
    from actionplans.models import Strand

    w.plan_strand = plan_services.strand_create(compact=w.a, title="Volunteering")
    w.plan_action = plan_services.action_create(
        compact=w.a,
        by=w.users["coordinator"],
        strand=Strand.objects.get(compact=w.a, guidance="sign_up"),
        title="Recruit more groups",
        lead_organisation=w.food_bank,
        lead_person="Jo Lead",
        starts_on=w.today - datetime.timedelta(days=30),
        due_on=w.today + datetime.timedelta(days=60),
        target_kind="vcs_signatories",
        target_number=5,
    )
    plan_services.note_add(action=w.plan_action, by=w.users["vcs_member"], text="Internal progress note")
    outcome = w.a_current.outcomes.order_by("number").first()
    made = []
    for title in ("Our consultation", "Our accepted case study"):
        made.append(
            plan_services.evidence_submit(
                compact=w.a,
                organisation=w.council,
                outcome=outcome,
                year=2026,
                kind="file",
                title=title,
                file=upload("evidence.pdf"),
                by=w.users["officer"],
            )
        )
    w.evidence, w.accepted_evidence = made
    plan_services.evidence_decide(evidence=w.accepted_evidence, accept=True, by=w.users["coordinator"])


def _mediation(w: World) -> None:
    """Two accredited mediators of Riverside, both proposed for two concerns in mediation: on one
    (the name withheld) ``mediator`` is appointed; on the other nobody is yet."""
    from mediation import services as mediation_services

    coordinator = w.users["coordinator"]
    w.mediator_role = mediation_services.mediator_accredit(
        email=w.users["mediator"].email, compacts=[w.a], by=coordinator
    )
    mediation_services.mediator_accredit(email=w.users["proposed_mediator"].email, compacts=[w.a], by=coordinator)
    cases = []
    for withhold in (True, False):
        case = dispute_services.case_open(
            complainant=w.food_bank,
            respondent=w.council,
            edition=w.a_current,
            undertakings=list(w.a_current.undertakings.filter(number="1.1")),
            by=w.users["vcs_member"],
            summary="The council did not consult us",
            what_happened="The decision was made in private.",
            happened_on=w.today - datetime.timedelta(days=20),
            outcome_sought="Consult us next time.",
            withhold_name=withhold,
            today=w.today,
        )
        for stage in ("formal", "mediation"):
            case = dispute_services.case_move(case=case, to=stage, by=w.users["vcs_member"], today=w.today)
        cases.append(case)
    w.mediation_case, w.proposed_case = cases
    mediation_services.mediator_appoint(mediation=w.mediation_case.mediation, mediator=w.mediator_role, by=coordinator)
    w.proposal = w.proposed_case.mediation.proposals.get(mediator=w.mediator_role)
    case = w.mediation_case
    w.mediation_shared_entry = dispute_services.timeline_add(
        case=case, by=w.users["officer"], kind=TimelineEntry.Kind.DOCUMENT, text="Our reply", file=upload("reply.pdf")
    )
    w.mediation_internal_entry = dispute_services.timeline_add(
        case=case,
        by=coordinator,
        kind=TimelineEntry.Kind.NOTE,
        text="Coordinator's note",
        visibility=TimelineEntry.Visibility.INTERNAL,
        file=upload("mediation-notes.pdf"),
    )
    w.mediation_held_entry = dispute_services.timeline_add(
        case=case, by=w.users["vcs_member"], kind=TimelineEntry.Kind.DOCUMENT, text="Ours", file=upload("ours.pdf")
    )


def _axes_rows(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": username, "http_accept": "*/*"}
    AccessAttempt.objects.create(
        path_info="/accounts/sign-in/", get_data="", post_data="", failures_since_start=1, **common
    )
    AccessLog.objects.create(path_info="/accounts/sign-in/", **common)
    AccessFailureLog.objects.create(path_info="/accounts/sign-in/", **common)
