"""Three smaller demo Compacts beside Example Borough, so that the national directory and the
measures side by side have rows to compare: one in Wales (Welsh first, its text in Welsh too), one
whose edition is older than its review period (a refresh is due), and one nobody has used for more
than a year (lapsed). Each only once: a Compact with an edition is left as it is."""

import datetime

from commitments.models import Compact, Edition, Nation, Outcome, Sector, Undertaking, UndertakingSector
from consultations.models import Consultation, FeedbackItem, PolicyArea
from demo.history import _backdate, _organisation, _signature
from demo.welsh import CY
from funding.models import FundingNotice
from signatories.models import OrganisationType

D = datetime.date
P, V = Sector.PUBLIC, Sector.VCS
T = OrganisationType


def _cy(text: str, welsh: bool) -> str:
    return CY[text] if welsh else ""


COMPACTS = [
    {
        "slug": "example-valley",
        "name": "Example Valley Compact",
        "area": "Example Valley",
        "nation": Nation.WALES,
        "welsh_first": True,
        "ons_code": "W06000098",
        "contact_email": "compact@example-valley.example.org",
        "review_period_years": 3,
        "edition": ("Example Valley Compact 2025", D(2025, 6, 2)),
        "introduction": "Public bodies and community groups in Example Valley agree here how they will work "
        "together, in Welsh and in English.",
        "outcomes": [
            (
                "Groups have a say early",
                "Consult groups for at least twelve weeks, in Welsh and English, and say why when it is shorter.",
                "Answer consultations and share what the people they serve think.",
                "consultation",
            ),
            (
                "Funding changes are fair and planned",
                "Give three months' written notice before funding changes or ends.",
                "Tell funders early when their plans or circumstances change.",
                "funding",
            ),
        ],
        # (organisation, sector, type, champion, the day it signed)
        "signed": [
            ("Example Valley Council", P, T.COUNCIL, ("Rhian", "Pugh"), D(2025, 6, 20)),
            ("Example Valley Health Board", P, T.NHS, None, D(2025, 9, 8)),
            ("Example Valley Police", P, T.POLICE, None, D(2026, 1, 15)),
            ("Cymdeithas Gymunedol Tŷ Coch", V, T.COMMUNITY_GROUP, ("Gethin", "Morgan"), D(2025, 7, 3)),
            ("Valley Food Bank", V, T.CHARITY, None, D(2025, 11, 20)),
            ("Menter Iaith Cwm Enghraifft", V, T.OTHER_VCS, ("Elin", "Rowlands"), D(2026, 5, 14)),
            ("Valley Young Carers", V, T.CHARITY, None, D(2026, 9, 30)),
        ],
        # (title, summary, opens, weeks, early notice weeks, feedback weeks after closing, feedback summary)
        "consultations": [
            (
                "School transport",
                "Which pupils get free transport to school.",
                D(2025, 9, 1),
                12,
                3,
                10,
                "Groups asked for the walking distance to be measured along safe routes. It now is.",
            ),
            (
                "Leisure centre opening hours",
                "When the two leisure centres open at weekends.",
                D(2026, 6, 8),
                10,
                None,
                None,
                "",
            ),
        ],
        # (description, reasons, given, effective, issuer index, recipient index)
        "notices": [
            (
                "Grant for the food bank's van.",
                "The grant is moving to a fund that every food project can bid for.",
                D(2026, 4, 13),
                D(2026, 9, 1),
                0,
                4,
            ),
        ],
        "welsh": True,
    },
    {
        "slug": "example-coast",
        "name": "Example Coast Compact",
        "area": "Example Coast",
        "nation": Nation.ENGLAND,
        "welsh_first": False,
        "ons_code": "E07000999",
        "contact_email": "partnerships@example-coast.example.org",
        "review_period_years": 3,
        "edition": ("Example Coast Compact 2021", D(2021, 5, 10)),
        "introduction": "How the district's public bodies and its voluntary and community groups work together.",
        "outcomes": [
            (
                "Good consultation",
                "Run formal consultations for at least twelve weeks and publish what changed.",
                "Help the people they work with to take part in consultations.",
                "consultation",
            ),
            (
                "Fair funding",
                "Give at least three months' notice of any change to funding.",
                "Plan for the end of short-term funding.",
                "funding",
            ),
        ],
        "signed": [
            ("Example Coast District Council", P, T.COUNCIL, ("Helen", "Marsh"), D(2021, 6, 1)),
            ("Example Coast Health Partnership", P, T.NHS, None, D(2021, 7, 19)),
            ("Seafront Community Trust", V, T.CHARITY, ("Kwame", "Asante"), D(2021, 6, 1)),
            ("Coast Credit Union", V, T.SOCIAL_ENTERPRISE, None, D(2022, 3, 3)),
            ("Dunes Conservation Volunteers", V, T.COMMUNITY_GROUP, None, D(2026, 6, 25)),
        ],
        "consultations": [
            (
                "Car parking charges",
                "What drivers pay in the district's car parks.",
                D(2025, 8, 4),
                6,
                None,
                15,
                "Groups asked for free parking for volunteers' drivers. We agreed it for weekday mornings.",
            ),
            (
                "Beach huts and seafront trading",
                "Who may trade on the seafront, and when.",
                D(2026, 5, 4),
                12,
                4,
                9,
                "Small traders asked for shorter licences. One-season licences now exist.",
            ),
        ],  # fmt: skip
        "notices": [
            (
                "Grant for the seafront lunch club.",
                "The grant scheme for lunch clubs is closing.",
                D(2026, 2, 2),
                D(2026, 4, 1),
                0,
                2,
            ),
        ],  # fmt: skip
        "welsh": False,
    },
    {
        "slug": "example-moor",
        "name": "Example Moor Compact",
        "area": "Example Moor",
        "nation": Nation.ENGLAND,
        "welsh_first": False,
        "ons_code": "E07000998",
        "contact_email": "compact@example-moor.example.org",
        "review_period_years": 5,
        "edition": ("Example Moor Compact", D(2019, 3, 4)),
        "introduction": "An agreement between the borough council and the moorland villages' groups.",
        "outcomes": [
            (
                "Villages are heard",
                "Ask village groups before changing services in their villages.",
                "Pass on what villagers say about local services.",
                "consultation",
            ),
            (
                "Steady funding",
                "Tell groups of funding changes three months ahead.",
                "Keep their accounts up to date and open to funders.",
                "funding",
            ),
        ],
        "signed": [
            ("Example Moor Borough Council", P, T.COUNCIL, None, D(2019, 3, 20)),
            ("Moorland Village Halls Association", V, T.CHARITY, None, D(2019, 4, 2)),
            ("Upland Farmers Support Network", V, T.COMMUNITY_GROUP, None, D(2019, 5, 9)),
        ],
        # Nothing recorded since February 2025: lapsed (no activity for a year) by December 2026.
        "consultations": [
            ("Rural bus routes", "Which village bus routes the council pays for.", D(2025, 3, 3), 12, 2, None, ""),
        ],
        "notices": [],
        "welsh": False,
    },
]


def other_compacts(*, by) -> list[Compact]:
    made = []
    for spec in COMPACTS:
        compact, _created = Compact.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "name_cy": _cy(spec["name"], spec["welsh"]),
                "area": spec["area"],
                "nation": spec["nation"],
                "welsh_first": spec["welsh_first"],
                "ons_code": spec["ons_code"],
                "contact_email": spec["contact_email"],
                "review_period_years": spec["review_period_years"],
            },
        )
        made.append(compact)
        if not compact.editions.exists():
            _fill(compact, spec, by)
    return made


def _fill(compact: Compact, spec: dict, by) -> None:
    welsh = spec["welsh"]
    name, published_on = spec["edition"]
    edition = Edition.objects.create(
        compact=compact,
        name=name,
        name_cy=_cy(name, welsh),
        status=Edition.Status.PUBLISHED,
        published_on=published_on,
        introduction=spec["introduction"],
        introduction_cy=_cy(spec["introduction"], welsh),
        created_by=by,
    )
    _backdate(edition, published_on - datetime.timedelta(days=30))
    for number, (title, public, vcs, theme) in enumerate(spec["outcomes"], start=1):
        outcome = Outcome.objects.create(edition=edition, number=number, title=title, title_cy=_cy(title, welsh))
        for place, (sector, text) in enumerate(((UndertakingSector.PUBLIC, public), (UndertakingSector.VCS, vcs)), 1):
            Undertaking.objects.create(
                edition=edition,
                outcome=outcome,
                number=f"{number}.{place}",
                sector=sector,
                text=text,
                text_cy=_cy(text, welsh),
                themes=[theme] if sector == UndertakingSector.PUBLIC else [],
            )
    domain = f"{spec['slug']}.example.org"
    organisations = []
    for org_name, sector, kind, champion, signed_on in spec["signed"]:
        organisation = _organisation(org_name, sector, kind, champion, email_domain=domain)
        organisations.append(organisation)
        _signature(organisation, edition, signed_on, by, role="Chair")
    for title, summary, opens, weeks, notice, feedback, said in spec["consultations"]:
        closes = opens + datetime.timedelta(weeks=weeks, days=-1)
        consultation = Consultation.objects.create(
            compact=compact,
            edition=edition,
            organisation=organisations[0],
            title=title,
            title_cy=_cy(title, welsh),
            summary=summary,
            summary_cy=_cy(summary, welsh),
            policy_area=PolicyArea.OTHER,
            kind=Consultation.Kind.FORMAL,
            early_notice_on=opens - datetime.timedelta(weeks=notice) if notice else None,
            opens_on=opens,
            closes_on=closes,
            contact_name=organisations[0].name,
            contact_email=f"consultations@{domain}",
            feedback_summary=said,
            feedback_summary_cy=_cy(said, welsh) if said else "",
            feedback_published_on=closes + datetime.timedelta(weeks=feedback) if feedback else None,
            created_by=by,
        )
        _backdate(consultation, opens - datetime.timedelta(weeks=notice or 1))
        if said:
            FeedbackItem.objects.create(consultation=consultation, theme=title, you_said=said, we_did=said)
    for description, reasons, given, effective, issuer, recipient in spec["notices"]:
        notice = FundingNotice.objects.create(
            compact=compact,
            edition=edition,
            issuer=organisations[issuer],
            recipient=organisations[recipient],
            change=FundingNotice.Change.ENDED,
            description=description,
            description_cy=_cy(description, welsh),
            notice_given_on=given,
            effective_on=effective,
            reasons=reasons,
            reasons_cy=_cy(reasons, welsh),
            impact_assessed=True,
            discussed_before=True,
            created_by=by,
        )
        _backdate(notice, given)
