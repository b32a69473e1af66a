"""Words for the benchmark's made-up data: places, organisations, consultations, concerns.

Written for the benchmark; nothing here is taken from a real Compact. Every choice is made from a
number, so the same scale always gives the same data.
"""

PLACE_STARTS = (
    "Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gold", "Hart", "Ivy", "Kings",
    "Lang", "Mill", "North", "Oak", "Pen", "Queen", "Red", "Stan", "Thorn", "Wick",
)  # fmt: skip
PLACE_ENDS = ("ford", "ley", "borough", "field", "mouth", "wick", "ton", "dale", "bridge", "combe")

NATIONS = ("england", "england", "england", "england", "wales", "scotland", "northern_ireland")

VCS_ADJECTIVES = (
    "Riverside", "Hillside", "Open Door", "Second Chance", "Bright Futures", "Green Lanes", "Market Street",
    "Community", "Neighbourhood", "Parkside", "Harbour", "Willow", "Lantern", "Compass", "Kindred",
    "Good Neighbours", "Cornerstone", "Beacon", "Meadow", "Old School",
)  # fmt: skip
VCS_NOUNS = (
    ("Food Share", "charity"), ("Youth Club", "community_group"), ("Carers' Network", "charity"),
    ("Credit Union", "social_enterprise"), ("Men's Shed", "community_group"), ("Advice Centre", "charity"),
    ("Arts Collective", "community_group"), ("Befriending Service", "charity"), ("Community Cafe", "social_enterprise"),
    ("Refugee Welcome", "charity"), ("Tenants' Association", "community_group"), ("Dementia Friends", "charity"),
    ("Cycle Workshop", "social_enterprise"), ("Women's Aid", "charity"), ("Sports Club", "community_group"),
    ("Allotment Society", "other_vcs"), ("Hospice Shop", "charity"), ("Mental Health Forum", "charity"),
    ("Community Transport", "social_enterprise"), ("Playgroup", "community_group"),
)  # fmt: skip
PUBLIC_BODIES = (
    ("{place} Borough Council", "council"),
    ("{place} Integrated Care Board", "nhs"),
    ("{place} Police", "police"),
    ("{place} Fire and Rescue Service", "fire"),
    ("{place} Probation Delivery Unit", "probation"),
    ("{place} Housing Partnership", "other_public"),
)
FIRST_NAMES = (
    "Amara", "Ben", "Carys", "Dev", "Eilidh", "Femi", "Gareth", "Hana", "Isla", "Jonah",
    "Kiran", "Lowri", "Marek", "Niamh", "Owen", "Priya", "Rhys", "Sana", "Tomasz", "Yusuf",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Brennan", "Chowdhury", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones",
    "Kowalski", "Lloyd", "McAllister", "Nowak", "O'Neill", "Patel", "Quinn", "Roberts", "Singh", "Walsh",
)  # fmt: skip
ROLES = ("Chair of trustees", "Chief executive", "Director", "Secretary", "Coordinator", "Leader of the council")

PRINCIPLES = (
    ("Trust", "Partners say what they mean, keep what they promise and explain when they cannot."),
    ("Independence", "Groups may speak up and campaign whatever funding they receive."),
    ("Fairness", "Small groups have the same chance to take part as large ones."),
    ("Openness", "Decisions and the reasons for them are shared early and in plain words."),
    ("Shared purpose", "Everyone works towards better lives for the people of the area."),
)
OUTCOMES = (
    "A strong and diverse voluntary sector that people can rely on",
    "Policies and services shaped by the people who use them",
    "Public money spent well, with groups treated fairly",
    "Fair decisions when funding changes or comes to an end",
    "Equal chances for every community in the area",
)
UNDERTAKING_VERBS = (
    "Give", "Share", "Plan", "Agree", "Explain", "Involve", "Publish", "Review", "Support", "Offer",
)  # fmt: skip
UNDERTAKING_OBJECTS = (
    "enough time for groups to answer a consultation properly",
    "the reasons for a decision as soon as it is taken",
    "early notice of any change to a grant or contract",
    "training on the Compact for new staff and volunteers",
    "a named contact for each partner organisation",
    "what was learned from complaints about the Compact",
    "the impact on service users before a funding decision",
    "the costs of running a service, including overheads",
    "translated and accessible versions of key documents",
    "a yearly report on how the Compact has been kept",
)  # fmt: skip
UNDERTAKING_TAILS = (
    "",
    " and check each year that it happened",
    ", with smaller groups in mind",
    " wherever the law allows",
)

SERVICES = (
    "library opening hours", "day centres for older people", "youth work", "bus routes to outlying villages",
    "the household waste strategy", "support for carers", "the homelessness prevention plan",
    "grants for community buildings", "parks and green spaces", "the local transport plan",
    "school holiday activities", "mental health crisis support", "community safety priorities",
    "adult learning courses", "the voluntary sector grants programme",
)  # fmt: skip
CONSULTATION_VERBS = ("Changes to", "A review of", "The future of", "Proposals for", "Priorities for")
POLICY_AREAS = (
    "culture_leisure", "adult_social_care", "children_families", "transport", "environment", "health",
    "housing", "voluntary_sector", "environment", "transport", "children_families", "health",
    "community_safety", "education", "voluntary_sector",
)  # fmt: skip
FEEDBACK_THEMES = ("Opening times", "Cost to users", "Access for disabled people", "Rural areas", "Staffing")

FUNDING_DESCRIPTIONS = (
    "The three-year grant for the advice service",
    "The contract for the lunch club and its transport",
    "The rent-free use of the community hall",
    "The annual grant towards the volunteer coordinator's post",
    "The service level agreement for youth sessions",
)
FUNDING_REASONS = (
    "The council must save money in next year's budget.",
    "The service is being brought together with a neighbouring one.",
    "National funding for this programme has ended.",
    "A review found the need is now met by another service.",
)

CASE_SUMMARIES = (
    "Our grant was cut with two weeks' notice",
    "The consultation closed before groups could respond",
    "No feedback was published after the consultation",
    "We were not told why our bid was turned down",
    "The impact on our service users was never assessed",
    "Our contract terms changed without discussion",
)
TIMELINE_NOTES = (
    "We met the service manager, who agreed to look at the timetable again.",
    "The council replied setting out the reasons for its decision.",
    "The coordinator spoke to both sides and suggested a meeting.",
    "The group sent the notes of its members' meeting.",
    "Both sides agreed the actions in the meeting note.",
)


def pick(options, n: int):
    return options[n % len(options)]


def place(n: int) -> str:
    return PLACE_STARTS[n % len(PLACE_STARTS)] + PLACE_ENDS[(n // len(PLACE_STARTS)) % len(PLACE_ENDS)]


def person(n: int) -> str:
    return f"{pick(FIRST_NAMES, n)} {pick(LAST_NAMES, n // len(FIRST_NAMES) + n)}"
