"""A Compact with something of every kind the API publishes, and secrets it must never publish."""

import copy
import datetime
import json
import re
from dataclasses import dataclass

import jsonschema
import pytest
from django.core.cache import caches
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from commitments import services as commitment_services
from tests.commitments.factories import build_edition
from tests.consultations.factories import ConsultationFactory
from tests.disputes.factories import open_case
from tests.funding.factories import FundingNoticeFactory
from tests.signatories.factories import (
    MembershipFactory,
    OrganisationFactory,
    PublicBodyFactory,
    SignatureFactory,
    signed_signature,
)

# Text that is in the database and must never be in an answer.
SECRETS = (
    "DRAFT-ONLY PLEDGE",
    "Withheld Charity Name",
    "INTERNAL CASE NOTE",
    "FUNDING NOTICE DETAIL",
    "FUNDING REASONS DETAIL",
    "Pending Applicant Org",
    "consult-secret@example.gov.uk",
)
TODAY = datetime.date(2027, 2, 1)


@pytest.fixture(autouse=True)
def fresh_throttle_and_today(settings, monkeypatch):
    """Each test starts with no requests counted against it, and 'today' fixed."""
    caches["default"].clear()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    yield
    caches["default"].clear()


@dataclass
class World:
    compact: object
    edition: object
    draft: object
    food_bank: object
    council: object


@pytest.fixture
def world(compact, coordinator) -> World:
    edition = build_edition(compact=compact, name="First edition")
    draft = commitment_services.edition_start_from_current(compact=compact, name="Next edition", by=coordinator)
    outcome = draft.outcomes.get(number=1)
    draft.undertakings.create(outcome=outcome, number="1.9", sector="vcs", text="DRAFT-ONLY PLEDGE to be kept.")
    council = PublicBodyFactory(name="Riverside Borough Council")
    food_bank = OrganisationFactory(name="Riverside Food Bank")
    signed_signature(organisation=council, edition=edition, signatory_name="Jo Leader", signatory_role="Leader")
    signed_signature(organisation=food_bank, edition=edition)
    SignatureFactory(organisation=OrganisationFactory(name="Pending Applicant Org"), edition=edition)
    ConsultationFactory(
        edition=edition, organisation=council, title="Library hours", contact_email="consult-secret@example.gov.uk"
    )
    ConsultationFactory(
        edition=edition,
        organisation=council,
        title="Bus routes",
        early_notice_on=None,
        opens_on=datetime.date(2026, 6, 1),
        closes_on=datetime.date(2026, 6, 30),
    )
    for month in (5, 6, 7):
        FundingNoticeFactory(
            compact=compact,
            edition=edition,
            issuer=council,
            recipient=food_bank,
            description="FUNDING NOTICE DETAIL",
            reasons="FUNDING REASONS DETAIL",
            notice_given_on=datetime.date(2026, month, 1),
            effective_on=datetime.date(2026, month + 1, 1),  # one month: too little notice
        )
    FundingNoticeFactory(compact=compact, edition=edition, issuer=council, recipient=food_bank)  # 2026–27, meets it
    FundingNoticeFactory(
        compact=compact, edition=edition, issuer=council, recipient=food_bank, notice_given_on=datetime.date(2026, 2, 1)
    )  # 2025–26: alone, not published
    withheld = OrganisationFactory(name="Withheld Charity Name")
    complainant_user = MembershipFactory(organisation=withheld).user
    for _ in range(3):
        open_case(
            complainant=withheld,
            respondent=council,
            edition=edition,
            by=complainant_user,
            withhold_name=True,
            numbers=("1.1",),
            what_happened="INTERNAL CASE NOTE about the grant.",
        )
    return World(compact=compact, edition=edition, draft=draft, food_bank=food_bank, council=council)


# --- The schema, and answers checked against it ----------------------------------------------------


@pytest.fixture(scope="session")
def openapi() -> dict:
    """The schema as drf-spectacular generates it, made strict: an answer with a field the schema
    does not describe fails too."""
    schema = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    strict = copy.deepcopy(schema)
    for component in strict["components"]["schemas"].values():
        if "properties" in component:
            component["additionalProperties"] = False
    return strict


def schema_for(openapi: dict, path: str, status: str = "200") -> dict:
    for template, item in openapi["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            body = item["get"]["responses"][status]["content"]["application/json"]["schema"]
            return {**body, "components": openapi["components"]}
    raise AssertionError(f"{path} is not in the schema")


@pytest.fixture
def api(client, openapi):
    """GET a path of the API; the JSON answer, checked against the schema."""

    def get(path: str, **params):
        response = client.get(path, params)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        data = response.json()
        jsonschema.validate(data, schema_for(openapi, path), cls=jsonschema.Draft202012Validator)
        return data

    return get
