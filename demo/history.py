"""The demo's history: the Example Borough Compact's last financial year (2025–26) and this one
(2026–27), and four smaller Compacts, so that the outcome measures, the annual review and the
national view have something to say.

Written with the ORM rather than the services: it is the past (sign-ups, consultations, notices and
concerns dated months ago, whose reminders and emails went long ago), and ``make run`` has to stay
quick. Every row is what the services would have left behind: a concern's stage history has a row
per stage with its due date in working days, a signature its applied and decided times. The text is
our own; the Welsh is in ``demo.welsh`` (written for the demo with docs/glossary-cy.md).
"""

import datetime

from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from commitments.models import Compact, Edition, Outcome, Principle, Sector, Undertaking
from commitments.rules import add_working_days
from consultations.models import Consultation, FeedbackItem, PolicyArea
from demo.welsh import CY
from disputes import rules as dispute_rules
from disputes.models import Case, Check, StageChange, TimelineEntry
from funding.models import FundingNotice
from signatories.models import Membership, Organisation, OrganisationType, SectorStatus, Signature

D = datetime.date
DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _backdate(obj: Model, day: datetime.date, field: str = "created_at") -> None:
    """Set an auto_now_add time (created_at and the like) to a day in the past."""
    type(obj).objects.filter(pk=obj.pk).update(**{field: _at(day)})


# --- Example Borough: its organisations ---------------------------------------------------------------

# (name, sector, type, champion's first and last name or None)
PARTNERS = [
    ("Example Borough Integrated Care Board", Sector.PUBLIC, OrganisationType.NHS, ("Nadia", "Rahman")),
    ("Example Borough Police", Sector.PUBLIC, OrganisationType.POLICE, None),
    ("Example Borough Fire and Rescue Service", Sector.PUBLIC, OrganisationType.FIRE, None),
    ("Example Borough Probation Delivery Unit", Sector.PUBLIC, OrganisationType.PROBATION, None),
    ("Example Borough Council for Voluntary Service", Sector.VCS, OrganisationType.CVS, ("Martin", "Doyle")),
    ("Hillside Carers Network", Sector.VCS, OrganisationType.CHARITY, ("Ellen", "Price")),
    ("Canal Side Youth Project", Sector.VCS, OrganisationType.CHARITY, None),
    ("Market Street Advice Centre", Sector.VCS, OrganisationType.CHARITY, ("Samir", "Haddad")),
    ("Greenway Allotment Society", Sector.VCS, OrganisationType.COMMUNITY_GROUP, None),
    ("Old Mill Arts Collective", Sector.VCS, OrganisationType.SOCIAL_ENTERPRISE, None),
    ("Borough Deaf Club", Sector.VCS, OrganisationType.COMMUNITY_GROUP, None),
    ("Westfield Tenants Association", Sector.VCS, OrganisationType.COMMUNITY_GROUP, None),
    ("Bridge Refugee Welcome", Sector.VCS, OrganisationType.CHARITY, ("Lina", "Kovac")),
    ("Second Chance Furniture", Sector.VCS, OrganisationType.SOCIAL_ENTERPRISE, None),
    ("Parkside Walking Group", Sector.VCS, OrganisationType.COMMUNITY_GROUP, None),
]

# Who signed the original edition and when: some long ago, the rest over 2025–26, month by month.
ORIGINAL_SIGNED = {
    "Example Borough Council": D(2023, 4, 20),
    "Example Borough Integrated Care Board": D(2023, 5, 11),
    "Example Borough Police": D(2023, 6, 2),
    "Example Borough Fire and Rescue Service": D(2023, 9, 14),
    "Example Borough Council for Voluntary Service": D(2023, 4, 20),
    "Hillside Carers Network": D(2024, 2, 8),
    "Canal Side Youth Project": D(2024, 10, 1),
    "Market Street Advice Centre": D(2025, 4, 24),
    "Greenway Allotment Society": D(2025, 6, 12),
    "Old Mill Arts Collective": D(2025, 8, 7),
    "Borough Deaf Club": D(2025, 10, 16),
    "Westfield Tenants Association": D(2025, 12, 4),
    "Bridge Refugee Welcome": D(2026, 2, 19),
}
# The refreshed edition (published 1 April 2026): re-affirmed or new this year, month by month.
REFRESHED_SIGNED = {
    "Example Borough Integrated Care Board": D(2026, 5, 6),
    "Example Borough Council for Voluntary Service": D(2026, 5, 20),
    "Hillside Carers Network": D(2026, 6, 17),
    "Example Borough Police": D(2026, 7, 9),
    "Market Street Advice Centre": D(2026, 7, 29),
    "Greenway Allotment Society": D(2026, 8, 26),
    "Second Chance Furniture": D(2026, 9, 23),  # new
    "Bridge Refugee Welcome": D(2026, 10, 14),
    "Parkside Walking Group": D(2026, 11, 11),  # new
}
# Signed the original, asked to re-affirm, not done yet.
REFRESHED_ASKED = [
    "Example Borough Fire and Rescue Service",
    "Canal Side Youth Project",
    "Old Mill Arts Collective",
    "Borough Deaf Club",
    "Westfield Tenants Association",
]


def example_borough(compact: Compact, users: dict[str, User], council: Organisation, larder: Organisation) -> None:
    """The demo Compact's past: the original edition it replaced, sign-ups, consultations, funding
    notices and concerns over two financial years. Only once: the original edition marks it done."""
    if compact.editions.filter(status=Edition.Status.SUPERSEDED).exists():
        return
    current = compact.editions.get(status=Edition.Status.PUBLISHED)
    original = _original_edition(compact, current, users["coordinator"])
    orgs = {"Example Borough Council": council, "Riverside Community Larder": larder}
    for name, sector, kind, champion in PARTNERS:
        orgs[name] = _organisation(name, sector, kind, champion, email_domain="example.org")
    coordinator = users["coordinator"]
    for name, day in ORIGINAL_SIGNED.items():
        _signature(orgs[name], original, day, coordinator, role="Chief executive" if day.month % 2 else "Chair")
    for name, day in REFRESHED_SIGNED.items():
        _signature(orgs[name], current, day, coordinator, role="Chief executive" if day.month % 2 else "Chair")
    for name in REFRESHED_ASKED:
        Signature.objects.create(
            organisation=orgs[name], edition=current, status=Signature.Status.REAFFIRMATION_REQUESTED
        )
    _consultations(compact, original, current, orgs, users["officer"])
    _funding_notices(compact, original, current, orgs, users["officer"])
    _concerns(compact, original, current, orgs, coordinator)


def _original_edition(compact: Compact, current: Edition, by: User) -> Edition:
    """The 2023 edition the refreshed one replaced: the same text (the refresh changed the parameters
    the portal reads, not the wording), published in April 2023 and superseded in April 2026."""
    original = Edition.objects.create(
        compact=compact,
        name="Example Borough Compact 2023",
        name_cy=CY["Example Borough Compact 2023"],
        status=Edition.Status.SUPERSEDED,
        published_on=D(2023, 4, 3),
        created_by=by,
        **{
            field: getattr(current, field)
            for field in (
                "introduction",
                "introduction_cy",
                "making_it_work",
                "making_it_work_cy",
                "dispute_resolution",
                "dispute_resolution_cy",
            )
        },
    )
    _backdate(original, D(2023, 3, 1))
    Edition.objects.filter(pk=current.pk).update(based_on=original)
    Principle.objects.bulk_create(
        Principle(
            edition=original,
            position=p.position,
            title=p.title,
            title_cy=p.title_cy,
            description=p.description,
            description_cy=p.description_cy,
        )
        for p in current.principles.all()
    )
    outcomes = {}
    for outcome in current.outcomes.all():
        outcomes[outcome.pk] = Outcome.objects.create(
            edition=original, number=outcome.number, title=outcome.title, title_cy=outcome.title_cy
        )
    Undertaking.objects.bulk_create(
        Undertaking(
            edition=original,
            outcome=outcomes[u.outcome_id],
            number=u.number,
            sector=u.sector,
            text=u.text,
            text_cy=u.text_cy,
            themes=u.themes,
        )
        for u in current.undertakings.all()
    )
    return original


def _organisation(name, sector, kind, champion, *, email_domain: str) -> Organisation:
    slug = name.lower().replace(" ", "-")
    organisation, created = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "sector": sector,
            "organisation_type": kind,
            "sector_status": SectorStatus.VERIFIED,
            "contact_email": f"hello@{slug}.{email_domain}",
        },
    )
    if created and champion:
        first, last = champion
        person = User.objects.create(
            username=f"{first}.{last}".lower(),
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@{slug}.{email_domain}".lower(),
        )
        person.set_unusable_password()
        person.save(update_fields=["password"])
        Membership.objects.create(user=person, organisation=organisation, role=Membership.Role.ADMIN)
        organisation.champion = person
        organisation.save(update_fields=["champion"])
    return organisation


def _signature(organisation, edition, day, coordinator, *, role: str) -> Signature:
    signature = Signature.objects.create(
        organisation=organisation,
        edition=edition,
        status=Signature.Status.SIGNED,
        signatory_name=organisation.contact_name or "",
        signatory_role=role,
        signed_on=day,
        statement="",
        applied_at=_at(day - 3 * DAY),
        decided_by=coordinator,
        decided_at=_at(day),
    )
    _backdate(signature, day - 3 * DAY)
    return signature


# (title, policy area, early notice before opening (weeks, or None), opens, weeks open, reason if
# shorter, weeks after closing the feedback was published (None: not yet), who, feedback summary)
CONSULTATIONS = [
    # 2025–26
    (
        "Parks and open spaces strategy",
        PolicyArea.ENVIRONMENT,
        3,
        D(2025, 3, 3),
        12,
        "",
        9,
        "council",
        "Groups asked for more seating and toilets; both are now in the plan.",
    ),
    (
        "Adult social care charges",
        PolicyArea.ADULT_SOCIAL_CARE,
        None,
        D(2025, 5, 5),
        8,
        "",
        14,
        "council",
        "Carers' groups asked for a cap on weekly charges. We set one.",
    ),
    (
        "Neighbourhood policing priorities",
        PolicyArea.COMMUNITY_SAFETY,
        2,
        D(2025, 7, 7),
        12,
        "",
        10,
        "police",
        "Residents' groups named antisocial driving first; it leads the new priorities.",
    ),
    (
        "Community mental health services",
        PolicyArea.HEALTH,
        4,
        D(2025, 9, 1),
        6,
        "The national deadline for the new service plan left six weeks.",
        8,
        "nhs",
        "Groups asked for evening drop-in sessions; two are starting in the spring.",
    ),
    (
        "Household waste collections",
        PolicyArea.ENVIRONMENT,
        None,
        D(2025, 10, 6),
        9,
        "",
        16,
        "council",
        "Groups for older residents asked for assisted collections to stay. They stay.",
    ),
    # 2026–27
    (
        "Youth services review",
        PolicyArea.CHILDREN_FAMILIES,
        3,
        D(2026, 3, 2),
        12,
        "",
        11,
        "council",
        "Young people asked that the youth clubs open on Saturdays. Three now do.",
    ),
    ("Fire station cover at night", PolicyArea.COMMUNITY_SAFETY, 2, D(2026, 5, 4), 12, "", None, "fire", ""),
    (
        "Health visitor clinics",
        PolicyArea.HEALTH,
        None,
        D(2026, 6, 1),
        7,
        "",
        6,
        "nhs",
        "Parents' groups asked to keep the Saturday clinic. It is kept.",
    ),
]

# (what, change, notice given, effective, reasons, issuer, recipient, exceptional reason)
NOTICES = [
    # 2025–26
    (
        "Grant for the carers' drop-in sessions.",
        FundingNotice.Change.REDUCED,
        D(2025, 5, 1),
        D(2025, 10, 1),
        "The grant is shared with a new carers' service in the north of the borough.",
        "council",
        "Hillside Carers Network",
        "",
    ),
    (
        "Contract for youth outreach work.",
        FundingNotice.Change.ENDED,
        D(2025, 9, 1),
        D(2025, 10, 31),
        "The outreach contract is being brought into the council's own youth service.",
        "council",
        "Canal Side Youth Project",
        "",
    ),
    (
        "Room hire at the civic centre, free of charge until now.",
        FundingNotice.Change.SUPPORT_WITHDRAWN,
        D(2025, 11, 3),
        D(2026, 4, 1),
        "The civic centre is closing for repairs.",
        "council",
        "Borough Deaf Club",
        "",
    ),
    (
        "Grant for welfare benefits advice.",
        FundingNotice.Change.REDUCED,
        D(2026, 1, 12),
        D(2026, 2, 2),
        "The national grant that paid for it ended without warning.",
        "nhs",
        "Market Street Advice Centre",
        "The national grant ended with three weeks' notice to us.",
    ),
    # 2026–27
    (
        "Grant for the refugee welcome café.",
        FundingNotice.Change.TERMS_CHANGED,
        D(2026, 5, 11),
        D(2026, 9, 1),
        "The grant now pays for English classes as well as the café.",
        "council",
        "Bridge Refugee Welcome",
        "",
    ),
    (
        "Contract for arts sessions in care homes.",
        FundingNotice.Change.ENDED,
        D(2026, 7, 1),
        D(2026, 8, 14),
        "The care homes will run their own activity programmes.",
        "council",
        "Old Mill Arts Collective",
        "",
    ),
]

# (summary, what happened, complainant, respondent, withhold name, undertaking numbers,
#  [(stage, working days after the previous stage began)], outcome, lessons learned)
# Stage limits of the edition: informal 10, formal 20, mediation 40 working days.
CONCERNS = [
    # 2025–26: three settled within the limits, three beyond them.
    (
        "Funding cut with five weeks' notice",
        "The outreach contract ended five weeks after we were told.",
        "Canal Side Youth Project",
        "council",
        True,
        ["4.4"],
        [("formal", 8), ("closed", 12)],
        "resolved",
        "Notices of funding changes are now checked by the partnerships team before they are sent.",
    ),
    (
        "Consultation ran for eight weeks without a reason",
        "The social care charges consultation was short.",
        "Hillside Carers Network",
        "council",
        False,
        ["2.2"],
        [("closed", 7)],
        "resolved",
        "A checklist for consultations now asks for the reason whenever one is shorter than twelve weeks.",
    ),
    (
        "Feedback on waste collections not published",
        "We heard nothing after the consultation closed.",
        "Westfield Tenants Association",
        "council",
        False,
        ["2.3"],
        [("closed", 9)],
        "resolved",
        "Feedback due dates now go into the service's own calendar when a consultation opens.",
    ),
    (
        "Room hire ended without talking to us first",
        "We were told by letter with no meeting offered.",
        "Borough Deaf Club",
        "council",
        True,
        ["4.3"],
        [("formal", 16), ("closed", 25)],
        "resolved",
        "Groups are now offered a meeting before a decision to stop support is taken, with interpreters booked.",
    ),
    (
        "Advice grant cut at three weeks' notice",
        "The benefits advice grant was cut at short notice.",
        "Market Street Advice Centre",
        "nhs",
        False,
        ["4.4"],
        [("formal", 6), ("mediation", 24), ("closed", 30)],
        "not_upheld",
        "When a national grant ends without warning, the board tells the groups affected the same week.",
    ),
    (
        "No say in the mental health service plan",
        "The plan was drawn up before groups were asked.",
        "Bridge Refugee Welcome",
        "nhs",
        False,
        ["2.1"],
        [("closed", 18)],
        "withdrawn",
        "Groups are invited to the first planning meeting for any new health service.",
    ),
    # 2026–27: three settled within the limits, one still open.
    (
        "Arts contract ended at six weeks' notice",
        "The care home sessions contract ended at short notice.",
        "Old Mill Arts Collective",
        "council",
        True,
        ["4.4"],
        [("formal", 9), ("closed", 14)],
        "resolved",
        "The council paid for the sessions to the end of the notice period the Compact asks for.",
    ),
    (
        "Health visitor consultation too short",
        "Seven weeks, with no reason given.",
        "Parkside Walking Group",
        "nhs",
        False,
        ["2.2"],
        [("closed", 9)],
        "resolved",
        "The board now publishes its consultation timetable for the year each April.",
    ),
    (
        "Police consultation feedback hard to find",
        "The feedback was published only as a scanned letter.",
        "Westfield Tenants Association",
        "police",
        False,
        ["2.3"],
        [("closed", 6)],
        "resolved",
        "Feedback is published on the portal, as text, so everyone can read it.",
    ),
]
OPEN_CONCERN = (
    "No notice of fire station cover changes",
    "Groups learned of the proposals from the local paper.",
    "Greenway Allotment Society",
    "fire",
    False,
    ["2.2"],
    D(2026, 11, 2),
)
CONCERN_STARTS = [D(2025, 4, 14), D(2025, 7, 21), D(2025, 9, 29), D(2025, 11, 17), D(2025, 11, 24),
                  D(2025, 12, 8), D(2026, 7, 13), D(2026, 8, 17), D(2026, 9, 14)]  # fmt: skip


def _consultations(compact, original, current, orgs, officer) -> None:
    bodies = {
        "council": orgs["Example Borough Council"],
        "nhs": orgs["Example Borough Integrated Care Board"],
        "police": orgs["Example Borough Police"],
        "fire": orgs["Example Borough Fire and Rescue Service"],
    }
    for title, area, notice, opens, weeks, reason, feedback, body, summary in CONSULTATIONS:
        closes = opens + datetime.timedelta(weeks=weeks) - DAY
        consultation = Consultation.objects.create(
            compact=compact,
            edition=original if opens < current.published_on else current,
            organisation=bodies[body],
            title=title,
            title_cy=CY[title],
            summary=CONSULTATION_SUMMARIES[title],
            summary_cy=CY[CONSULTATION_SUMMARIES[title]],
            policy_area=area,
            kind=Consultation.Kind.FORMAL,
            early_notice_on=opens - datetime.timedelta(weeks=notice) if notice else None,
            opens_on=opens,
            closes_on=closes,
            shorter_rationale=reason,
            contact_name=bodies[body].name,
            contact_email=f"consultations@{body}.example.org",
            feedback_summary=summary,
            feedback_summary_cy=CY[summary] if summary else "",
            feedback_published_on=closes + datetime.timedelta(weeks=feedback) if feedback else None,
            created_by=officer,
        )
        _backdate(consultation, opens - datetime.timedelta(weeks=notice or 1))
        if feedback:
            FeedbackItem.objects.create(consultation=consultation, theme=title, you_said=summary, we_did=summary)


CONSULTATION_SUMMARIES = {
    "Parks and open spaces strategy": "How the borough's parks should be looked after for the next ten years.",
    "Adult social care charges": "What people pay towards care at home and day services.",
    "Neighbourhood policing priorities": "What neighbourhood police teams should deal with first.",
    "Community mental health services": "A new way of running mental health support close to home.",
    "Household waste collections": "How often bins are emptied and what goes in each one.",
    "Youth services review": "Where and when the borough's youth clubs open.",
    "Fire station cover at night": "How many crews are on duty at night at each station.",
    "Health visitor clinics": "Where parents of young children can see a health visitor.",
}


def _funding_notices(compact, original, current, orgs, officer) -> None:
    bodies = {"council": orgs["Example Borough Council"], "nhs": orgs["Example Borough Integrated Care Board"]}
    for description, change, given, effective, reasons, issuer, recipient, exceptional in NOTICES:
        notice = FundingNotice.objects.create(
            compact=compact,
            edition=original if given < current.published_on else current,
            issuer=bodies[issuer],
            recipient=orgs[recipient],
            change=change,
            description=description,
            description_cy=CY[description],
            notice_given_on=given,
            effective_on=effective,
            reasons=reasons,
            reasons_cy=CY[reasons],
            impact_assessed=change != FundingNotice.Change.ENDED,
            discussed_before=not exceptional,
            exceptional=bool(exceptional),
            exceptional_reason=exceptional,
            created_by=officer,
        )
        _backdate(notice, given)


def _concerns(compact, original, current, orgs, coordinator) -> None:
    bodies = {
        "council": orgs["Example Borough Council"],
        "nhs": orgs["Example Borough Integrated Care Board"],
        "police": orgs["Example Borough Police"],
        "fire": orgs["Example Borough Fire and Rescue Service"],
    }
    nation = compact.nation
    for row, raised_on in zip(CONCERNS, CONCERN_STARTS, strict=True):
        summary, happened, complainant, respondent, withhold, numbers, moves, outcome, lessons = row
        edition = original if raised_on < current.published_on else current
        stages = [("informal", raised_on)]
        for stage, after in moves:
            stages.append((stage, add_working_days(stages[-1][1], after, nation)))
        closed_on = stages[-1][1]
        case = _case(
            compact, edition, orgs[complainant], bodies[respondent], withhold, numbers, summary, happened, raised_on
        )
        case.stage, case.outcome, case.closed_on = Case.Stage.CLOSED, outcome, closed_on
        case.stage_started_on, case.stage_due_on, case.lessons_learned = closed_on, None, lessons
        case.save()
        previous = ""
        for stage, began in stages:
            due = dispute_rules.stage_due_on(stage=stage, started_on=began, edition=edition, nation=nation)
            change = StageChange.objects.create(
                case=case, old_stage=previous, new_stage=stage, by=coordinator, due_on=due
            )
            _backdate(change, began, "at")
            if previous:
                entry = TimelineEntry.objects.create(
                    case=case, kind=TimelineEntry.Kind.STAGE, author=coordinator, check_status=Check.NOT_NEEDED
                )
                _backdate(entry, began)
            previous = stage
        _backdate(case, raised_on)
    summary, happened, complainant, respondent, withhold, numbers, raised_on = OPEN_CONCERN
    case = _case(
        compact, current, orgs[complainant], bodies[respondent], withhold, numbers, summary, happened, raised_on
    )
    change = StageChange.objects.create(
        case=case, old_stage="", new_stage=case.stage, by=coordinator, due_on=case.stage_due_on
    )
    _backdate(change, raised_on, "at")
    _backdate(case, raised_on)


def _case(compact, edition, complainant, respondent, withhold, numbers, summary, happened, raised_on) -> Case:
    case = Case.objects.create(
        compact=compact,
        edition=edition,
        complainant=complainant,
        respondent=respondent,
        summary=summary,
        what_happened=happened,
        happened_on=raised_on - 10 * DAY,
        outcome_sought="That the Compact is kept next time.",
        withhold_name=withhold,
        stage=Case.Stage.INFORMAL,
        stage_started_on=raised_on,
        stage_due_on=dispute_rules.stage_due_on(
            stage=Case.Stage.INFORMAL, started_on=raised_on, edition=edition, nation=compact.nation
        ),
        check_status=Check.NOT_NEEDED,
    )
    case.undertakings.set(edition.undertakings.filter(number__in=numbers))
    return case
