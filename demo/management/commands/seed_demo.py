"""Demo data for a developer's machine: a fictional Compact, written in our own words."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import mfa_demo_device_set
from commitments import services
from commitments.models import Compact, Edition, Outcome, Principle, Sector, Undertaking, UndertakingSector
from consultations import services as consultation_services
from consultations.models import Consultation, PolicyArea
from demo import compacts, guard, history, plan
from demo.welsh import CY
from funding import services as funding_services
from funding.models import FundingNotice, NoticeStep
from signatories import services as signatory_services
from signatories.models import Membership, Organisation, OrganisationType

DEMO_PASSWORD = "compact-demo-2026"  # noqa: S105 - demo accounts only, refused when DEBUG is off

PRINCIPLES = [
    ("Respect", "Each sector values what the other brings, and says so."),
    ("Honesty", "Partners share what they know, early, including bad news."),
    ("Independence", "Groups keep their own voice, whoever funds them."),
    ("Fairness", "Decisions are open, reasoned and equal for every group."),
    ("Volunteering", "The time people give freely is recognised and supported."),
]

# (outcome title, public sector undertakings, VCS undertakings, themes by undertaking index)
OUTCOMES = [
    (
        "A thriving, independent voluntary and community sector",
        [
            "Defend the right of local groups to speak up and campaign, including about the council, "
            "whatever funding they receive from it.",
            "Pay for local infrastructure support so that small groups can get advice on governance, "
            "funding and volunteers.",
            "Open up council buildings and equipment to community groups at fair rates.",
        ],
        [
            "Base campaigns on sound evidence and say whose views they carry.",
            "Keep their independence in every partnership, and say so when they disagree.",
        ],
    ),
    (
        "Open, shared design of policies and services",
        [
            "Involve community groups from the first ideas for a policy or service, not only once a plan is drafted.",
            "Tell groups early about consultations that are coming, and run formal written consultations for at "
            "least twelve weeks, explaining in writing whenever a consultation is shorter or informal.",
            "Publish, within twelve weeks of a consultation closing, what was heard and what changed because of it.",
            "Count the cost to small groups of new rules and forms, and keep that cost down.",
        ],
        [
            "Answer consultations that affect the people they serve, and help those people answer too.",
            "Be clear about who they speak for and how they gathered those views.",
            "Bring practical proposals, backed by what they see on the ground.",
        ],
    ),
    (
        "Fair and well-run funding and commissioning",
        [
            "Explain the reasons for every funding decision in plain language.",
            "Offer grants and contracts over several years where the work needs time to show results.",
            "Keep application and monitoring demands in proportion to the sums involved.",
            "Accept fair overheads, including the cost of training and supporting volunteers, in funding bids.",
        ],
        [
            "Check they are eligible before applying, and be clear about what the money will achieve.",
            "Keep sound governance and tell funders early about big changes in their circumstances.",
            "Acknowledge public funding in their publicity.",
        ],
    ),
    (
        "Well-managed change to funding and services",
        [
            "Agree a plan to improve a struggling service before deciding to end its funding.",
            "Assess the effect on service users, beneficiaries and volunteers before reducing or ending funding.",
            "Talk with the group affected before a final decision on cutting resources, and weigh its response.",
            "Give at least three months' written notice before changing or ending funding or other support, "
            "except in exceptional circumstances, and give the reasons in writing.",
        ],
        [
            "Plan ahead for funding ending, to protect the people they serve.",
            "Take part constructively in reviews of services and funding.",
        ],
    ),
    (
        "Fairness and inclusion for all residents",
        [
            "Work with groups that support people protected by equality law and those whose voices are seldom heard.",
            "Make sure groups serving particular communities can compete for funding on equal terms.",
            "Act to remove unlawful discrimination and to give under-represented residents a voice.",
        ],
        [
            "Show how their work helps public bodies meet their equality duties.",
            "Help public bodies understand the needs of the communities they work with.",
        ],
    ),
]

# Undertakings both sectors make together, numbered after the outcome's public and VCS ones.
JOINT = {
    1: ["Meet once a year, council and groups together, to check how the Compact is kept and agree what to fix."],
    2: ["Share what they learn from residents with each other, leaving out anything that would identify a person."],
}

THEMES = {
    "1.1": ["independence"],
    "1.3": ["volunteering"],
    "2.2": ["consultation"],
    "2.3": ["consultation"],
    "3.1": ["funding"],
    "3.2": ["funding"],
    "3.4": ["funding", "volunteering"],
    "4.2": ["funding"],
    "4.3": ["funding"],
    "4.4": ["funding"],
    "5.1": ["equality"],
    "5.2": ["equality", "funding"],
}

LIBRARIES = (
    "We are proposing new opening hours for the borough's six libraries and want to hear from the groups that use them."
)
GRANTS_FEEDBACK = "Twelve groups responded, most of them run by volunteers. We shortened the form for small grants."


class Command(BaseCommand):
    @property
    def help(self):  # translated when shown (argparse needs a str, not a lazy string)
        return _("Create the fictional Example Borough Compact and demo accounts (only when DEBUG is on).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=_("Run even when DEBUG is off (tests only)."))

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(_("seed_demo only runs when DEBUG is on: it creates accounts with known passwords."))
        with transaction.atomic():
            users = self._users()
            for username in ("coordinator", "admin"):  # they need a second factor: a known demo key
                mfa_demo_device_set(user=users[username])
            compact = self._compact(users)
            council, larder = self._organisations(users)
            self._signatures(compact, users, council, larder)
            self._consultations_and_funding(compact, users, council, larder)
            self._national(compact, users)
            self._mediator(compact, users)
            history.example_borough(compact, users, council, larder)
            guard.guard_flags(compact, users)
            compacts.other_compacts(by=users["coordinator"])
            plan.action_plan(compact, users)
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready: %(name)s.") % {"name": compact.name}))
        for username in ("coordinator", "officer", "volunteer", "admin", "national", "mediator"):
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}")
        self.stdout.write(
            _("coordinator and admin also need a code: manage.py mfa_code coordinator (or admin) prints it.")
        )

    def _users(self) -> dict[str, User]:
        people = {
            "coordinator": ("Priya", "Shah", False),
            "officer": ("Tom", "Reilly", False),
            "volunteer": ("Grace", "Okafor", False),
            "admin": ("Site", "Administrator", True),
            "national": ("Owen", "Price", False),
            "mediator": ("Morag", "Campbell", False),
        }
        users = {}
        for username, (first, last, is_super) in people.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_staff": is_super,
                    "is_superuser": is_super,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        return users

    def _compact(self, users: dict[str, User]) -> Compact:
        compact, _created = Compact.objects.get_or_create(
            slug="example-borough",
            defaults={
                "name": "Example Borough Compact",
                "name_cy": CY["Example Borough Compact"],
                "area": "Example Borough",
            },
        )
        compact.coordinators.add(users["coordinator"])
        if compact.editions.exists():
            return compact
        texts = {
            "introduction": (
                "This Compact is the promise that public bodies in Example Borough and the borough's voluntary and "
                "community groups make to each other. It sets out how we will plan together, share information, "
                "fund local work fairly and settle disagreements, so that residents get better services."
            ),
            "making_it_work": (
                "Every partner names a Compact champion. The Compact coordinator reports each November, in Compact "
                "Week, on how well partners kept their undertakings, using the figures this portal records."
            ),
            "dispute_resolution": (
                "If you think a partner has not kept the Compact, first talk to them. If that does not settle it, "
                "write to the people who made the decision, name the undertakings you think were broken, and ask "
                "them to look into it and explain. The coordinator can arrange independent mediation. Raising a "
                "concern must never put a group's funding at risk."
            ),
        }
        edition = Edition.objects.create(
            compact=compact,
            name="Refreshed Compact 2026",
            name_cy=CY["Refreshed Compact 2026"],
            created_by=users["coordinator"],
            **texts,
            **{f"{name}_cy": CY[text] for name, text in texts.items()},
        )
        for position, (title, description) in enumerate(PRINCIPLES, start=1):
            Principle.objects.create(
                edition=edition,
                position=position,
                title=title,
                title_cy=CY[title],
                description=description,
                description_cy=CY[description],
            )
        for number, (title, public, vcs) in enumerate(OUTCOMES, start=1):
            outcome = Outcome.objects.create(edition=edition, number=number, title=title, title_cy=CY[title])
            place = 0
            blocks = (
                (UndertakingSector.PUBLIC, public),
                (UndertakingSector.VCS, vcs),
                (UndertakingSector.JOINT, JOINT.get(number, [])),
            )
            for sector, texts in blocks:
                for text in texts:
                    place += 1
                    code = f"{number}.{place}"
                    Undertaking.objects.create(
                        edition=edition,
                        outcome=outcome,
                        number=code,
                        sector=sector,
                        text=text,
                        text_cy=CY[text],
                        themes=THEMES.get(code, []),
                    )
        services.edition_publish(edition=edition, by=users["coordinator"], today=datetime.date(2026, 4, 1))
        self._draft(compact, users)
        return compact

    def _draft(self, compact: Compact, users: dict[str, User]) -> Edition:
        """The next edition, started from the current one: a new undertaking and a reworded principle,
        neither translated yet, so that the publish page has parts to list as lacking Welsh."""
        draft = services.edition_start_from_current(
            compact=compact, name="Compact 2027 (draft)", by=users["coordinator"]
        )
        draft.name_cy = "Compact 2027 (drafft)"
        draft.save(update_fields=["name_cy"])
        principle = draft.principles.get(title="Volunteering")
        principle.description = (
            "The time people give freely is recognised, supported and celebrated in Volunteers' Week."
        )
        principle.description_cy = ""
        principle.save()
        outcome = draft.outcomes.get(number=4)
        Undertaking.objects.create(
            edition=draft,
            outcome=outcome,
            number=f"4.{outcome.undertakings.count() + 1}",
            sector=UndertakingSector.VCS,
            text="Tell the council early when they expect to need help to manage a change in their funding.",
            themes=["funding"],
        )
        return draft

    def _organisations(self, users: dict[str, User]) -> tuple[Organisation, Organisation]:
        council, _created = Organisation.objects.get_or_create(
            name="Example Borough Council",
            defaults={
                "sector": Sector.PUBLIC,
                "organisation_type": OrganisationType.COUNCIL,
                "contact_name": "Tom Reilly",
                "contact_email": "partnerships@example.org",
            },
        )
        larder, _created = Organisation.objects.get_or_create(
            name="Riverside Community Larder",
            defaults={
                "sector": Sector.VCS,
                "organisation_type": OrganisationType.COMMUNITY_GROUP,
                "charity_number": "1234567",
                "contact_name": "Grace Okafor",
                "contact_email": "hello@riverside-larder.example.org",
            },
        )
        Membership.objects.get_or_create(
            user=users["officer"], organisation=council, defaults={"role": Membership.Role.ADMIN}
        )
        Membership.objects.get_or_create(
            user=users["volunteer"], organisation=larder, defaults={"role": Membership.Role.ADMIN}
        )
        council.champion = users["officer"]
        council.save(update_fields=["champion"])
        return council, larder

    def _signatures(self, compact: Compact, users: dict[str, User], council, larder) -> None:
        """The council has signed; the community larder's application waits for the coordinator."""
        edition = compact.editions.get(status=Edition.Status.PUBLISHED)
        if edition.signatures.exists():
            return
        signed = signatory_services.signature_apply(
            organisation=council,
            edition=edition,
            by=users["officer"],
            signatory_name="Alex Morgan",
            signatory_role="Leader of the council",
            signed_on=datetime.date(2026, 4, 20),
        )
        signatory_services.signature_approve(signature=signed, by=users["coordinator"])
        signatory_services.signature_apply(
            organisation=larder,
            edition=edition,
            by=users["volunteer"],
            signatory_name="Grace Okafor",
            signatory_role="Chair of the management committee",
            signed_on=datetime.date(2026, 5, 2),
        )

    def _consultations_and_funding(self, compact: Compact, users: dict[str, User], council, larder) -> None:
        """Dates relative to today, so the demo always shows an open consultation, one waiting for
        feedback, one with its feedback published, and a funding notice that is too short."""
        if Consultation.objects.filter(compact=compact).exists():
            return
        today = timezone.localdate()
        days = datetime.timedelta
        contact = {"contact_name": "Tom Reilly", "contact_email": "consultations@example.org"}
        consultation_services.consultation_create(
            organisation=council,
            compact=compact,
            by=users["officer"],
            today=today - days(weeks=4),
            title="Library opening hours from next April",
            title_cy=CY["Library opening hours from next April"],
            summary=LIBRARIES,
            summary_cy=CY[LIBRARIES],
            policy_area=PolicyArea.CULTURE_LEISURE,
            kind=Consultation.Kind.FORMAL,
            early_notice_on=today - days(weeks=4),
            opens_on=today - days(weeks=3),
            closes_on=today + days(weeks=9) - days(days=1),
            link="https://www.example.org/consultations/libraries",
            **contact,
        )
        consultation_services.consultation_create(
            organisation=council,
            compact=compact,
            by=users["officer"],
            today=today - days(weeks=10),
            title="Winter shelter arrangements",
            title_cy=CY["Winter shelter arrangements"],
            summary="How the night shelter should run this winter.",
            summary_cy=CY["How the night shelter should run this winter."],
            policy_area=PolicyArea.HOUSING,
            kind=Consultation.Kind.FORMAL,
            early_notice_on=today - days(weeks=10),
            opens_on=today - days(weeks=9),
            closes_on=today - days(weeks=3) - days(days=1),
            shorter_rationale="The shelter must open before the first frost; the contract starts in six weeks.",
            link="https://www.example.org/consultations/winter-shelter",
            **contact,
        )
        past = consultation_services.consultation_create(
            organisation=council,
            compact=compact,
            by=users["officer"],
            today=today - days(weeks=39),
            title="Community grants scheme",
            title_cy=CY["Community grants scheme"],
            summary="The rules for the small grants the council gives to community groups.",
            summary_cy=CY["The rules for the small grants the council gives to community groups."],
            policy_area=PolicyArea.VOLUNTARY_SECTOR,
            kind=Consultation.Kind.FORMAL,
            early_notice_on=today - days(weeks=39),
            opens_on=today - days(weeks=38),
            closes_on=today - days(weeks=26) - days(days=1),
            link="https://www.example.org/consultations/community-grants",
            **contact,
        )
        consultation_services.feedback_item_add(
            consultation=past,
            by=users["officer"],
            theme="Application forms",
            you_said="The form was too long for groups run by volunteers.",
            we_did="Grants under £1,000 now use a one-page form.",
        )
        consultation_services.feedback_summary_update(
            consultation=past, by=users["officer"], summary=GRANTS_FEEDBACK, summary_cy=CY[GRANTS_FEEDBACK]
        )
        consultation_services.feedback_publish(consultation=past, by=users["officer"], today=today - days(weeks=20))
        if not FundingNotice.objects.filter(compact=compact).exists():
            notice = funding_services.notice_create(
                issuer=council,
                recipient=larder,
                compact=compact,
                by=users["officer"],
                change=FundingNotice.Change.REDUCED,
                description="Annual grant towards the larder's running costs.",
                description_cy=CY["Annual grant towards the larder's running costs."],
                notice_given_on=today - days(weeks=2),
                effective_on=today + days(weeks=6),
                reasons="The council's budget for community food projects has been cut by a quarter.",
                reasons_cy=CY["The council's budget for community food projects has been cut by a quarter."],
                impact_assessed=False,
                discussed_before=False,
            )
            # The larder's reply on the notice's timeline (issue 16), with a meeting asked for; the
            # council has not yet recorded its consideration.
            funding_services.step_record(
                notice=notice,
                by=users["volunteer"],
                kind=NoticeStep.Kind.REPLY,
                text=(
                    "The grant pays for the van that collects surplus food. Without it we can open two days a "
                    "week instead of five. We were not asked before the decision."
                ),
                today=today - days(weeks=1),
            )
            funding_services.step_record(
                notice=notice,
                by=users["volunteer"],
                kind=NoticeStep.Kind.MEETING,
                text="Could we meet before the end of the month to talk about a smaller grant for the van?",
                today=today - days(weeks=1),
            )

    def _mediator(self, compact: Compact, users: dict[str, User]) -> None:
        """A mediator accredited by the coordinator, so that the pool of mediators shows someone."""
        from mediation.permissions import live_mediator
        from mediation.services import mediator_accredit

        if live_mediator(users["mediator"]) is None:
            mediator_accredit(email=users["mediator"].email, compacts=[compact], by=users["coordinator"])

    def _national(self, compact: Compact, users: dict[str, User]) -> None:
        """The national body's demo account (given the role by the superuser), and what the directory shows."""
        from national.permissions import is_national
        from national.services import national_role_grant

        if not is_national(users["national"]):
            national_role_grant(email=users["national"].email, by=users["admin"])
        if not compact.ons_code:
            compact.ons_code = "E06000099"
            compact.contact_email = "compact@example-borough.example.org"
            compact.save(update_fields=["ons_code", "contact_email"])
