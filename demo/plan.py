"""The demo Compact's action plan for 2026–27 and its accepted evidence, through the actionplans
services: an action in each of the guidance's four strands, one with a target whose progress the
portal computes, one overdue, one done, one dropped with its reason; progress notes; evidence for
two outcomes accepted by the coordinator. Only once: a plan with actions is left as it is."""

import datetime

from actionplans import services
from actionplans.models import Action, Evidence, GuidanceStrand, Strand
from demo.welsh import CY
from signatories.models import Organisation

D = datetime.date

# (strand, title, lead organisation, lead person, starts, due, status, target, outcome number, notes, reason)
ACTIONS = [
    (
        GuidanceStrand.SIGN_UP,
        "Sign up ten more voluntary and community groups to the refreshed Compact",
        "Example Borough Council for Voluntary Service",
        "Martin Doyle",
        D(2026, 4, 1),
        D(2027, 3, 31),
        Action.Status.UNDER_WAY,
        (Action.Target.VCS_SIGNATORIES, 10),
        1,
        [(D(2026, 7, 15), "Stalls at the summer fairs; four groups asked for the sign-up form.")],
        "",
    ),
    (
        GuidanceStrand.REPRESENTATION,
        "Make every formal consultation twelve weeks long, or explain why not",
        "Example Borough Council",
        "Tom Reilly",
        D(2026, 4, 1),
        D(2026, 10, 30),
        Action.Status.UNDER_WAY,
        (Action.Target.CONSULTATION_LENGTH, None),
        2,
        [(D(2026, 9, 2), "A consultation checklist went to every service manager.")],
        "",
    ),
    (
        GuidanceStrand.COMMUNICATION,
        "Hold a Compact Week meeting of all the partners",
        "Example Borough Council",
        "Priya Shah",
        D(2026, 6, 1),
        D(2026, 11, 6),
        Action.Status.DONE,
        None,
        1,
        [(D(2026, 11, 5), "Forty people from twenty-two organisations came; the notes are on the council's website.")],
        "",
    ),
    (
        GuidanceStrand.ENGAGEMENT,
        "Train the council's funding officers in the Compact",
        "Example Borough Council",
        "Tom Reilly",
        D(2026, 5, 1),
        D(2026, 12, 18),
        Action.Status.DROPPED,
        None,
        4,
        [],
        "The training budget was withdrawn; the Council for Voluntary Service has written an online guide instead.",
    ),
    (
        GuidanceStrand.COMMUNICATION,
        "Ask every signatory to name a Compact champion",
        "Example Borough Council for Voluntary Service",
        "Martin Doyle",
        D(2026, 9, 1),
        D(2027, 2, 26),
        Action.Status.NOT_STARTED,
        (Action.Target.CHAMPIONS, None),
        1,
        [],
        "",
    ),
]

# (outcome number, financial year, kind, title, what happened, organisation)
EVIDENCE = [
    (
        2,
        2026,
        Evidence.Kind.CASE_STUDY,
        "Saturday youth clubs",
        "Young people told the youth services consultation they wanted somewhere to go at weekends. "
        "The council's feedback said three clubs would open on Saturdays, and they did in September.",
        "Canal Side Youth Project",
    ),
    (
        4,
        2026,
        Evidence.Kind.NOTE,
        "A meeting before the room hire decision",
        "After last year's concern, the council offered a meeting, with interpreters, before deciding "
        "about the civic centre rooms. The club found another venue with the council's help.",
        "Borough Deaf Club",
    ),
    (
        2,
        2025,
        Evidence.Kind.NOTE,
        "Carers helped set the charges cap",
        "Carers' groups joined two workshops on adult social care charges; the weekly cap they asked for was adopted.",
        "Hillside Carers Network",
    ),
]


def action_plan(compact, users: dict) -> None:
    if Action.objects.filter(compact=compact).exists():
        return
    services.strands_ensure_guidance(compact=compact)
    strands = {strand.guidance: strand for strand in Strand.objects.filter(compact=compact)}
    edition = compact.editions.get(status="published")
    outcomes = {outcome.number: outcome for outcome in edition.outcomes.all()}
    coordinator = users["coordinator"]
    for strand, title, lead, person, starts, due, status, target, outcome, notes, reason in ACTIONS:
        kind, number = target or ("", None)
        action = services.action_create(
            compact=compact,
            by=coordinator,
            strand=strands[strand],
            title=title,
            title_cy=CY[title],
            lead_organisation=Organisation.objects.get(name=lead),
            lead_person=person,
            starts_on=starts,
            due_on=due,
            outcome=outcomes[outcome],
            target_kind=kind,
            target_number=number,
        )
        if status in (Action.Status.UNDER_WAY, Action.Status.DONE):
            services.action_set_status(action=action, status=Action.Status.UNDER_WAY, by=coordinator)
        if status != Action.Status.UNDER_WAY:
            services.action_set_status(action=action, status=status, by=coordinator, reason=reason)
        for day, text in notes:
            services.note_add(action=action, by=coordinator, text=text, written_on=day)
    for number, year, kind, title, text, organisation in EVIDENCE:
        evidence = services.evidence_submit(
            compact=compact,
            organisation=Organisation.objects.get(name=organisation),
            outcome=outcomes[number],
            year=year,
            kind=kind,
            title=title,
            text=text,
            by=coordinator,
        )
        services.evidence_decide(evidence=evidence, accept=True, by=coordinator)
