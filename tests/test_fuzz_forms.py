"""Forms under fuzzing: whatever is posted to any form of the portal, the answer is never a server error.

Every view that accepts POST is visited as someone allowed to use it; the fields its page shows
are read from the HTML, and Hypothesis posts hostile answers: empty, very long, every kind of
Unicode (right to left, emoji, NUL and other control characters, lone surrogates as invalid
UTF-8), HTML and script, SQL, numbers out of range, impossible dates, wrong types for choices
and files, keys left out, given twice, or made up. The test client re-raises any exception, so a
server error fails with its traceback. Each example runs in a savepoint that is rolled back, and
the work queued after commit (emails, PDFs) runs too, so a worker's crash is caught as well.

The form classes are fuzzed directly as well: ``is_valid()`` and rendering never raise.

Kept fast for CI (``FUZZ_EXAMPLES`` sets the number of examples per form; derandomised under
CI=true). Run it against PostgreSQL too: it refuses things SQLite accepts.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from commitments import forms as commitment_forms
from compact_portal.forms import ConfirmForm
from consultations import forms as consultation_forms
from disputes import forms as dispute_forms
from disputes.models import ChallengeLetter
from disputes.views.letters import LetterForm
from funding import forms as funding_forms
from funding.models import NoticeStep
from notifications import forms as notification_forms
from signatories import forms as signatory_forms
from signatories.views.imports import SignatoryImportForm
from tests.conftest import IN_CI, ROOT
from tests.fuzz.discover import Spec, post, query_dicts, spec_from_html
from tests.fuzz.strategies import payload
from tests.fuzz.world import CASE_TODAY, CONSULTATION_TODAY, FuzzWorld, build_fuzz_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

settings.register_profile(
    "compact-fuzz",
    deadline=None,
    derandomize=IN_CI,
    database=None if IN_CI else settings.default.database,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
FUZZ = settings.get_profile("compact-fuzz")


def fuzz_settings(examples: int) -> settings:
    return settings(FUZZ, max_examples=max(1, examples))


@pytest.fixture
def world(compact, edition, coordinator, officer, vcs_member, monkeypatch) -> FuzzWorld:
    monkeypatch.setattr("consultations.views.today", lambda: CONSULTATION_TODAY)
    monkeypatch.setattr("disputes.views.cases.today", lambda: CASE_TODAY)
    return build_fuzz_world(
        compact=compact, edition=edition, coordinator=coordinator, officer=officer, vcs_member=vcs_member
    )


# --- Every form view --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    id: str
    user: str  # an attribute of FuzzWorld, or "anonymous"
    url: Callable[[FuzzWorld], str]
    multipart: bool = False
    examples: float = 1.0  # a share of EXAMPLES: fewer where each post renders a PDF
    setup: Callable | None = None  # (client, world) -> the address to post to, if it moves


def _mediation_url(name: str, *, appointed: bool = True, agreed: bool = False, proposal: bool = False):
    """A setup that makes a mediation (tests/fuzz/world.py) and gives the address of its form ``name``."""

    def setup(client, w):
        import datetime

        from mediation import services as mediation_services

        mediation = w.mediation(appointed=appointed)
        if agreed:
            mediation_services.agreement_record(
                mediation=mediation,
                by=w.mediator,
                summary="Agreed.",
                actions=[("Restore the grant", "respondent", datetime.date.today() + datetime.timedelta(days=30))],
            )
        kwargs = {"pk": mediation.case_id}
        if proposal:
            kwargs["proposal_pk"] = mediation.proposals.get().pk
        return reverse(name, kwargs=kwargs)

    return setup


def _mediator_to_revoke(client, w):
    return reverse("mediation:revoke", kwargs={"pk": w.mediator_role.pk})


def _plan_url(w, name, obj):
    return reverse(f"actionplans:{name}", kwargs={"slug": w.compact.slug, "pk": obj.pk})


def _plan_strand(w):
    from actionplans.models import Strand

    return Strand.objects.get_or_create(compact=w.compact, guidance="", title="Volunteering")[0]


def _plan_action(w):
    """An action of the plan led by the council (the officer's)."""
    from actionplans import services
    from actionplans.models import Action

    action = Action.objects.filter(compact=w.compact, lead_organisation=w.council).first()
    return action or services.action_create(
        compact=w.compact,
        by=w.coordinator,
        strand=_plan_strand(w),
        title="Fuzzed action",
        lead_organisation=w.council,
        lead_person="Jo Lead",
        starts_on=w.edition.published_on,
        due_on=w.edition.published_on,
        target_kind="champions",
    )


def _evidence(w):
    from actionplans import services
    from actionplans.models import Evidence

    evidence = Evidence.objects.filter(compact=w.compact).first()
    return evidence or services.evidence_submit(
        compact=w.compact,
        organisation=w.council,
        outcome=w.edition.outcomes.first(),
        year=2026,
        kind="note",
        title="Fuzzed evidence",
        text="What happened",
        by=w.officer,
    )


def _slug(w):
    return {"slug": w.compact.slug}


def _draft(w, **kwargs):
    return {"slug": w.compact.slug, "pk": w.draft.pk, **kwargs}


def _part_pk(w, part):
    return {
        "principles": w.draft.principles.first,
        "outcomes": w.draft.outcomes.first,
        "undertakings": w.draft.undertakings.first,
        "codes": w.draft.codes_of_practice.first,
    }[part]().pk


def _compact_import_ready(client, w):
    url = reverse("commitments:import_upload", kwargs=_slug(w))
    with open(ROOT / "tests" / "fixtures" / "sample_compact.txt", "rb") as text_file:
        response = client.post(url, {"name": "Imported", "text_file": text_file})
    assert response.status_code == 302, "the sample Compact should import"
    return reverse("commitments:import_preview", kwargs=_slug(w))


def _compact_import_ready_for_rules(client, w):
    _compact_import_ready(client, w)
    return reverse("commitments:import_rule_add", kwargs=_slug(w))


def _compact_import_rule_to_remove(client, w):
    from commitments.models import ImportRule

    _compact_import_ready(client, w)
    rule = ImportRule.objects.create(compact=w.compact, kind=ImportRule.Kind.IGNORE, text="Page #")
    return reverse("commitments:import_rule_remove", kwargs={**_slug(w), "pk": rule.pk})


def _signatories_import_ready(client, w):
    url = reverse("signatories:import_upload", kwargs=_slug(w))
    with open(ROOT / "tests" / "fixtures" / "signatories.csv", "rb") as csv_file:
        response = client.post(url, {"csv_file": csv_file})
    assert response.status_code in (200, 302)
    return reverse("signatories:import_preview", kwargs=_slug(w))


def _reset_ready(client, w):
    response = client.get(w.reset_path)
    assert response.status_code == 302, "a fresh reset link goes on to the new-password page"
    return response["Location"]


def _mfa_code_asked(client, w):
    """The coordinator has an app and has given their password, not yet the code."""
    from accounts.middleware import MFA_VERIFIED
    from tests.accounts.factories import mfa_device

    mfa_device(w.coordinator)
    session = client.session
    session[MFA_VERIFIED] = False
    session.save()
    return reverse("accounts:mfa_verify")


def _letter_ready(client, w):
    letter = ChallengeLetter.objects.create(
        case=w.formal_case,
        addressed_to="Director",
        response_due_on=CASE_TODAY,
        requested_by=w.vcs_member,
        status=ChallengeLetter.Status.FAILED,
    )
    return reverse("disputes:letter_progress", kwargs={"pk": w.formal_case.pk, "letter_pk": letter.pk})


def _held_case(w):
    from disputes import services as dispute_services

    return dispute_services.case_open(
        complainant=w.food_bank,
        respondent=w.council,
        edition=w.informal_case.edition,
        undertakings=list(w.informal_case.undertakings.all()),
        by=w.vcs_member,
        summary="Held for the coordinator's check",
        what_happened="Short notice.",
        happened_on=CASE_TODAY,
        outcome_sought="Notice.",
        withhold_name=True,
        source_funding_notice=w.notice,
        today=CASE_TODAY,
    )


def _logo_to_remove(client, w):
    from commitments.models import CompactLogo

    logo = CompactLogo.objects.create(
        compact=w.compact, organisation="Fuzz Council", content_type="image/png", image=b"", sha256=""
    )
    return reverse("commitments:logo_delete", kwargs={"slug": w.compact.slug, "logo_pk": logo.pk})


def _entry_to_check(client, w):
    from disputes import services as dispute_services

    case = _held_case(w)
    entry = dispute_services.timeline_add(case=case, by=w.vcs_member, kind="note", text="Ours")
    return reverse("disputes:entry_check", kwargs={"pk": case.pk, "entry_pk": entry.pk})


def _case_to_check(client, w):
    return reverse("disputes:case_check", kwargs={"pk": _held_case(w).pk})


def _guard_flag(w):
    from disputes import services as dispute_services

    flag = dispute_services.guard_check(
        compact=w.notice.compact, body=w.council, organisation=w.food_bank, on=CASE_TODAY, funding_notice=w.notice
    )
    return flag.get_absolute_url()


def _coordinator_in_the_national_body(w):
    from national import services as national_services
    from tests.accounts.factories import UserFactory

    root = UserFactory(username="fuzz-root", is_superuser=True, is_staff=True)
    national_services.national_role_grant(email=w.coordinator.email, by=root)
    return root


def _national_roles(client, w):
    _coordinator_in_the_national_body(w)
    return reverse("national:roles")


def _national_role_to_revoke(client, w):
    from national import services as national_services

    root = _coordinator_in_the_national_body(w)
    role = national_services.national_role_grant(email=w.colleague.email, by=root)
    return reverse("national:role_revoke", kwargs={"pk": role.pk})


PARTS = ("principles", "outcomes", "undertakings", "codes")

TARGETS = [
    # accounts
    Target("accounts:login", "anonymous", lambda w: reverse("accounts:login")),
    Target("accounts:logout", "officer", lambda w: reverse("accounts:logout"), examples=0.3),
    Target("accounts:password_reset", "anonymous", lambda w: reverse("accounts:password_reset")),
    Target("accounts:password_reset_confirm", "anonymous", lambda w: w.reset_path, setup=_reset_ready),
    Target("accounts:password_change", "officer", lambda w: reverse("accounts:password_change")),
    Target("accounts:mfa_setup", "coordinator", lambda w: reverse("accounts:mfa_setup")),
    Target("accounts:mfa_verify", "coordinator", lambda w: reverse("accounts:mfa_verify"), setup=_mfa_code_asked),
    Target("accounts:language", "officer", lambda w: reverse("accounts:language")),
    # reviews: POST asks for another attempt at the review's PDF
    Target(
        "reviews:pdf",
        "coordinator",
        lambda w: reverse("reviews:pdf", kwargs={"slug": w.compact.slug, "year": 2026}),
        examples=0.2,
    ),
    # commitments
    Target(
        "commitments:edition_pdf",
        "coordinator",
        lambda w: reverse("commitments:edition_pdf", kwargs={"slug": w.compact.slug, "pk": w.edition.pk}),
        examples=0.2,
    ),
    Target(
        "commitments:edition_pdf_signing",
        "coordinator",
        lambda w: reverse("commitments:edition_pdf_signing", kwargs={"slug": w.compact.slug, "pk": w.edition.pk}),
        examples=0.2,
    ),
    Target(
        "commitments:edition_pdf_language",
        "coordinator",
        lambda w: reverse(
            "commitments:edition_pdf_language", kwargs={"slug": w.compact.slug, "pk": w.edition.pk, "language": "cy"}
        ),
        examples=0.2,
    ),
    Target(
        "commitments:edition_pdf_language_signing",
        "coordinator",
        lambda w: reverse(
            "commitments:edition_pdf_language_signing",
            kwargs={"slug": w.compact.slug, "pk": w.edition.pk, "language": "bilingual"},
        ),
        examples=0.2,
    ),
    Target("commitments:edition_new", "coordinator", lambda w: reverse("commitments:edition_new", kwargs=_slug(w))),
    Target(
        "commitments:compact_settings",
        "coordinator",
        lambda w: reverse("commitments:compact_settings", kwargs=_slug(w)),
    ),
    Target(
        "commitments:compact_directory_settings",
        "coordinator",
        lambda w: reverse("commitments:compact_directory_settings", kwargs=_slug(w)),
    ),
    Target("national:roles", "coordinator", lambda w: "", setup=_national_roles),
    Target("national:role_revoke", "coordinator", lambda w: "", setup=_national_role_to_revoke, examples=0.3),
    Target(
        "commitments:logo_list",
        "coordinator",
        lambda w: reverse("commitments:logo_list", kwargs=_slug(w)),
        multipart=True,
    ),
    Target("commitments:logo_delete", "coordinator", lambda w: "", setup=_logo_to_remove, examples=0.3),
    Target(
        "commitments:import_upload",
        "coordinator",
        lambda w: reverse("commitments:import_upload", kwargs=_slug(w)),
        multipart=True,
        examples=1.5,
    ),
    Target(
        "commitments:import_preview",
        "coordinator",
        lambda w: reverse("commitments:import_preview", kwargs=_slug(w)),
        setup=_compact_import_ready,
        examples=0.5,
    ),
    Target(
        "commitments:import_rule_add",
        "coordinator",
        lambda w: reverse("commitments:import_rule_add", kwargs=_slug(w)),
        setup=_compact_import_ready_for_rules,
        examples=0.7,
    ),
    Target(
        "commitments:import_rule_remove",
        "coordinator",
        lambda w: "",
        setup=_compact_import_rule_to_remove,
        examples=0.3,
    ),
    Target(
        "commitments:edition_settings",
        "coordinator",
        lambda w: reverse("commitments:edition_settings", kwargs=_draft(w)),
        examples=1.5,
    ),
    Target(
        "commitments:edition_publish",
        "coordinator",
        lambda w: reverse("commitments:edition_publish", kwargs=_draft(w)),
        examples=0.3,
    ),
    *[
        Target(
            f"commitments:part_create:{part}",
            "coordinator",
            lambda w, part=part: reverse("commitments:part_create", kwargs=_draft(w, part=part)),
            examples=1.5 if part == "undertakings" else 1.0,
        )
        for part in PARTS
    ],
    *[
        Target(
            f"commitments:part_update:{part}",
            "coordinator",
            lambda w, part=part: reverse(
                "commitments:part_update", kwargs=_draft(w, part=part, part_pk=_part_pk(w, part))
            ),
        )
        for part in PARTS
    ],
    Target(
        "commitments:part_delete",
        "coordinator",
        lambda w: reverse(
            "commitments:part_delete", kwargs=_draft(w, part="outcomes", part_pk=_part_pk(w, "outcomes"))
        ),
        examples=0.3,
    ),
    # signatories
    Target(
        "signatories:import_upload",
        "coordinator",
        lambda w: reverse("signatories:import_upload", kwargs=_slug(w)),
        multipart=True,
        examples=1.5,
    ),
    Target(
        "signatories:import_preview",
        "coordinator",
        lambda w: reverse("signatories:import_preview", kwargs=_slug(w)),
        setup=_signatories_import_ready,
        examples=0.3,
    ),
    Target("signatories:sign_up", "vcs_member", lambda w: reverse("signatories:sign_up", kwargs=_slug(w))),
    Target(
        "signatories:sign_up:signing",
        "vcs_member",
        lambda w: reverse("signatories:sign_up", kwargs=_slug(w)) + f"?organisation={w.food_bank.pk}",
    ),
    Target(
        "signatories:record_on_behalf:new",
        "officer",
        lambda w: reverse("signatories:record_on_behalf", kwargs=_slug(w)) + "?new=1",
        examples=1.5,
    ),
    Target(
        "signatories:record_on_behalf:signing",
        "officer",
        lambda w: reverse("signatories:record_on_behalf", kwargs=_slug(w)) + f"?organisation={w.food_bank.pk}",
        multipart=True,
    ),
    Target(
        "signatories:signature_approve",
        "coordinator",
        lambda w: reverse("signatories:signature_approve", kwargs={"pk": w.pending.pk}),
        examples=0.3,
    ),
    Target(
        "signatories:signature_reject",
        "coordinator",
        lambda w: reverse("signatories:signature_reject", kwargs={"pk": w.pending.pk}),
    ),
    Target(
        "signatories:signature_withdraw",
        "officer",
        lambda w: reverse("signatories:signature_withdraw", kwargs={"pk": w.signed.pk}),
    ),
    Target(
        "signatories:signature_reaffirm",
        "vcs_member",
        lambda w: reverse("signatories:signature_reaffirm", kwargs={"pk": w.reaffirm.pk}),
    ),
    Target(
        "signatories:organisation_new", "vcs_member", lambda w: reverse("signatories:organisation_new"), examples=1.5
    ),
    Target(
        "signatories:organisation_edit",
        "vcs_member",
        lambda w: reverse("signatories:organisation_edit", kwargs={"pk": w.food_bank.pk}),
        examples=1.5,
    ),
    Target(
        "signatories:champion",
        "vcs_member",
        lambda w: reverse("signatories:champion", kwargs={"pk": w.food_bank.pk}),
    ),
    Target("signatories:invite", "vcs_member", lambda w: reverse("signatories:invite", kwargs={"pk": w.food_bank.pk})),
    Target(
        "signatories:membership_role",
        "vcs_member",
        lambda w: reverse(
            "signatories:membership_role", kwargs={"pk": w.food_bank.pk, "membership_pk": w.colleague_membership.pk}
        ),
    ),
    Target(
        "signatories:invitation_cancel",
        "vcs_member",
        lambda w: reverse(
            "signatories:invitation_cancel", kwargs={"pk": w.food_bank.pk, "invitation_pk": w.invitation.pk}
        ),
        examples=0.3,
    ),
    Target(
        "signatories:organisation_approve",
        "coordinator",
        lambda w: reverse("signatories:organisation_approve", kwargs={"slug": w.compact.slug, "pk": w.pending_body.pk}),
        examples=0.3,
    ),
    Target(
        "signatories:organisation_reject",
        "coordinator",
        lambda w: reverse("signatories:organisation_reject", kwargs={"slug": w.compact.slug, "pk": w.pending_body.pk}),
    ),
    Target(
        "signatories:invitation_accept:new_account",
        "anonymous",
        lambda w: reverse("signatories:invitation_accept", kwargs={"token": w.invitation_token}),
        examples=1.5,
    ),
    Target(
        "signatories:invitation_accept:signed_in",
        "coordinator",
        lambda w: reverse("signatories:invitation_accept", kwargs={"token": w.invitation_token}),
        examples=0.3,
    ),
    # consultations
    Target("consultations:create", "officer", lambda w: reverse("consultations:create"), multipart=True, examples=2),
    Target(
        "consultations:edit",
        "officer",
        lambda w: reverse("consultations:edit", kwargs={"pk": w.open_consultation.pk}),
        multipart=True,
        examples=1.5,
    ),
    Target(
        "consultations:respond",
        "vcs_member",
        lambda w: reverse("consultations:respond", kwargs={"pk": w.open_consultation.pk}),
        multipart=True,
    ),
    Target(
        "consultations:feedback:add",
        "officer",
        lambda w: reverse("consultations:feedback", kwargs={"pk": w.closed_consultation.pk}),
    ),
    Target(
        "consultations:feedback:change",
        "officer",
        lambda w: (
            reverse("consultations:feedback", kwargs={"pk": w.closed_consultation.pk}) + f"?item={w.feedback_item.pk}"
        ),
    ),
    Target(
        "consultations:feedback:remove",
        "officer",
        lambda w: (
            reverse("consultations:feedback", kwargs={"pk": w.closed_consultation.pk})
            + f"?item={w.feedback_item.pk}&remove=1"
        ),
        examples=0.3,
    ),
    Target(
        "consultations:feedback:summary",
        "officer",
        lambda w: reverse("consultations:feedback", kwargs={"pk": w.closed_consultation.pk}) + "?part=summary",
    ),
    Target(
        "consultations:alerts",
        "officer",
        lambda w: reverse("consultations:alerts", kwargs={"pk": w.open_consultation.pk}),
    ),
    Target(
        "consultations:feedback_publish",
        "officer",
        lambda w: reverse("consultations:feedback_publish", kwargs={"pk": w.closed_consultation.pk}),
        examples=0.3,
    ),
    # funding
    Target("funding:create:search", "officer", lambda w: reverse("funding:create") + "?q=food", examples=0.3),
    Target(
        "funding:create",
        "officer",
        lambda w: reverse("funding:create") + f"?recipient={w.food_bank.pk}",
        examples=2,
    ),
    Target("funding:edit", "officer", lambda w: reverse("funding:edit", kwargs={"pk": w.notice.pk}), examples=1.5),
    Target(
        "funding:reply", "vcs_member", lambda w: reverse("funding:reply", kwargs={"pk": w.notice.pk}), multipart=True
    ),
    Target(
        "funding:respond", "officer", lambda w: reverse("funding:respond", kwargs={"pk": w.notice.pk}), multipart=True
    ),
    # action plans
    Target("actionplans:strand_new", "coordinator", lambda w: reverse("actionplans:strand_new", kwargs=_slug(w))),
    Target("actionplans:strand_edit", "coordinator", lambda w: _plan_url(w, "strand_edit", _plan_strand(w))),
    Target("actionplans:action_new", "coordinator", lambda w: reverse("actionplans:action_new", kwargs=_slug(w))),
    Target("actionplans:action_edit", "coordinator", lambda w: _plan_url(w, "action_edit", _plan_action(w))),
    Target("actionplans:action_status", "officer", lambda w: _plan_url(w, "action_status", _plan_action(w))),
    Target("actionplans:action_note", "officer", lambda w: _plan_url(w, "action_note", _plan_action(w))),
    Target(
        "actionplans:evidence_new",
        "officer",
        lambda w: reverse("actionplans:evidence_new", kwargs=_slug(w)),
        multipart=True,
    ),
    Target("actionplans:evidence_decide", "coordinator", lambda w: _plan_url(w, "evidence_decide", _evidence(w))),
    # disputes
    Target("disputes:create:search", "vcs_member", lambda w: reverse("disputes:create") + "?q=council", examples=0.3),
    Target(
        "disputes:create",
        "vcs_member",
        lambda w: reverse("disputes:create") + f"?respondent={w.council.pk}",
        multipart=True,
        examples=2,
    ),
    Target(
        "disputes:move:formal",
        "vcs_member",
        lambda w: reverse("disputes:move", kwargs={"pk": w.informal_case.pk}) + "?to=formal",
    ),
    Target(
        "disputes:move:closed",
        "coordinator",
        lambda w: reverse("disputes:move", kwargs={"pk": w.informal_case.pk}) + "?to=closed:not_upheld",
    ),
    Target(
        "disputes:add_entry",
        "vcs_member",
        lambda w: reverse("disputes:add_entry", kwargs={"pk": w.informal_case.pk}),
        multipart=True,
        examples=1.5,
    ),
    Target(
        "disputes:add_entry:coordinator",
        "coordinator",
        lambda w: reverse("disputes:add_entry", kwargs={"pk": w.informal_case.pk}),
        multipart=True,
    ),
    Target(
        "disputes:letter_new",
        "vcs_member",
        lambda w: reverse("disputes:letter_new", kwargs={"pk": w.formal_case.pk}),
        examples=0.7,
    ),
    Target(
        "disputes:letter_progress",
        "vcs_member",
        lambda w: "",
        setup=_letter_ready,
        examples=0.2,
    ),
    Target("disputes:entry_check", "coordinator", lambda w: "", setup=_entry_to_check, examples=0.5),
    Target("disputes:case_check", "coordinator", lambda w: "", setup=_case_to_check, examples=0.5),
    Target("disputes:guard_flag", "coordinator", _guard_flag),
    # mediation
    Target("mediation:accredit", "coordinator", lambda w: reverse("mediation:accredit")),
    Target("mediation:revoke", "coordinator", lambda w: "", setup=_mediator_to_revoke, examples=0.3),
    Target("mediation:settings", "coordinator", lambda w: reverse("mediation:settings", kwargs=_slug(w)), examples=0.3),
    Target("mediation:conflict_add", "mediator", lambda w: reverse("mediation:conflict_add")),
    Target(
        "mediation:decline",
        "officer",
        lambda w: "",
        setup=_mediation_url("mediation:decline", appointed=False, proposal=True),
    ),
    Target(
        "mediation:appoint", "coordinator", lambda w: "", setup=_mediation_url("mediation:appoint", appointed=False)
    ),
    Target("mediation:note_add", "mediator", lambda w: "", setup=_mediation_url("mediation:note_add")),
    Target("mediation:meeting_add", "mediator", lambda w: "", setup=_mediation_url("mediation:meeting_add")),
    Target("mediation:agreement", "mediator", lambda w: "", setup=_mediation_url("mediation:agreement"), examples=1.5),
    Target("mediation:no_agreement", "mediator", lambda w: "", setup=_mediation_url("mediation:no_agreement")),
    Target("mediation:confirm", "officer", lambda w: "", setup=_mediation_url("mediation:confirm", agreed=True)),
    Target("mediation:reveal", "vcs_member", lambda w: "", setup=_mediation_url("mediation:reveal"), examples=0.3),
    # notifications
    Target("notifications:preferences", "vcs_member", lambda w: reverse("notifications:preferences")),
    # GOV.UK Notify's receipts: without its token, refused; with it, fuzzed in tests/notifications/test_notify.py.
    Target(
        "notifications:notify_callback", "anonymous", lambda w: reverse("notifications:notify_callback"), examples=0.2
    ),
    Target(
        "notifications:organisation_calendar_page",
        "vcs_member",
        lambda w: reverse("notifications:organisation_calendar_page", kwargs={"pk": w.food_bank.pk}),
        examples=0.3,
    ),
]


def _signed_in_as(client: Client, user) -> None:
    """Sign the client in as ``user`` (or out), unless it already is: a post may have signed it out."""
    session_user = client.session.get("_auth_user_id")
    if user is None:
        if session_user is not None:
            client.logout()
    elif session_user != str(user.pk):
        client.force_login(user)


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_no_post_to_any_form_is_a_server_error(target, world, django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=True)
    user = world.user(target.user)
    _signed_in_as(client, user)
    url = target.url(world)
    if target.setup is not None:
        url = target.setup(client, world) or url
    page = client.get(url)
    assert page.status_code < 500
    # The form's fields, as its page shows them (none on a page that is only a button).
    spec = spec_from_html(page.content.decode(), path=url.split("?")[0]) if page.status_code == 200 else Spec([], [])
    statuses = []

    @fuzz_settings(round(EXAMPLES * target.examples))
    @given(pairs=payload(spec))
    def post_anything(pairs):
        _signed_in_as(client, user)
        savepoint = transaction.savepoint()
        try:
            with django_capture_on_commit_callbacks(execute=True):
                response = post(client, url, pairs, multipart=target.multipart)
            assert response.status_code < 500, response.content[:2000]
            statuses.append(response.status_code)
        finally:
            transaction.savepoint_rollback(savepoint)
            mail.outbox.clear()

    post_anything()
    assert statuses


def test_every_view_that_accepts_post_is_fuzzed():
    """A new form view must be added to TARGETS: the URL names here are those of the portal that
    accept POST (checked against each app's urls.py by reading the views' allowed methods)."""
    from django.urls import get_resolver

    accepting_post = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace in ("admin",):
                    continue
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
                continue
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            if view_class is not None:
                methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
                if "post" in methods:
                    accepting_post.add(f"{namespace}{pattern.name}")
                continue
            if _accepts_post(callback):
                accepting_post.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    fuzzed = {":".join(t.id.split(":")[:2]) for t in TARGETS}
    assert len(accepting_post) >= 40, sorted(accepting_post)
    assert accepting_post - fuzzed == set()


def _accepts_post(callback) -> bool:
    """What ``require_http_methods`` (the outermost decorator of every function view here) allows."""
    function = callback
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            contents = cell.cell_contents
            if isinstance(contents, list | tuple) and contents and all(isinstance(m, str) for m in contents):
                return "POST" in contents
        function = getattr(function, "__wrapped__", None)
    return True  # undecorated: any method reaches it


# --- The form classes themselves --------------------------------------------------------------------


def _form_cases(w: FuzzWorld) -> dict[str, tuple[type, dict]]:
    from accounts import forms as account_forms
    from commitments.models import Compact

    compacts = list(Compact.objects.prefetch_related("editions"))
    for compact in compacts:
        compact.current_editions = [compact.editions.filter(status="published").first()]
    undertakings = list(w.edition.undertakings.select_related("edition__compact"))
    return {
        "LoginForm": (account_forms.LoginForm, {}),
        "ResetRequestForm": (account_forms.ResetRequestForm, {}),
        "ChooseNewPasswordForm": (account_forms.ChooseNewPasswordForm, {"user": w.reset_user}),
        "ConfirmForm": (ConfirmForm, {}),
        "EditionNewForm": (commitment_forms.EditionNewForm, {}),
        "EditionSettingsForm": (commitment_forms.EditionSettingsForm, {"instance": w.draft}),
        "PrincipleForm": (commitment_forms.PrincipleForm, {}),
        "OutcomeForm": (commitment_forms.OutcomeForm, {"edition": w.draft}),
        "UndertakingForm": (commitment_forms.UndertakingForm, {"edition": w.draft}),
        "CodeOfPracticeForm": (commitment_forms.CodeOfPracticeForm, {}),
        "ImportUploadForm": (commitment_forms.ImportUploadForm, {}),
        "ImportRuleForm": (commitment_forms.ImportRuleForm, {}),
        "ConsultationForm:new": (
            consultation_forms.ConsultationForm,
            {"organisations": [w.council], "compacts": compacts, "today": CONSULTATION_TODAY},
        ),
        "ConsultationForm:edit": (
            consultation_forms.ConsultationForm,
            {"consultation": w.open_consultation, "today": CONSULTATION_TODAY},
        ),
        "ResponseForm": (consultation_forms.ResponseForm, {"organisations": [w.food_bank, w.youth_club]}),
        "FeedbackItemForm": (consultation_forms.FeedbackItemForm, {}),
        "FeedbackSummaryForm": (consultation_forms.FeedbackSummaryForm, {}),
        "AlertStopForm": (consultation_forms.AlertStopForm, {"organisations": [w.food_bank, w.youth_club]}),
        "ChooseOrganisationForm": (signatory_forms.ChooseOrganisationForm, {"organisations": [w.food_bank]}),
        "SigningForm": (signatory_forms.SigningForm, {"organisation": w.food_bank}),
        "SigningForm:on_behalf": (signatory_forms.SigningForm, {"organisation": w.food_bank, "on_behalf": True}),
        "ApproveForm": (
            signatory_forms.ApproveForm,
            {"signature": w.pending, "current": w.draft, "submit_label": "Approve"},  # as if replaced
        ),
        "ReasonForm": (
            signatory_forms.ReasonForm,
            {"label": "Why?", "help_text": "", "required_message": "Say why", "submit_label": "Go"},
        ),
        "OrganisationForm": (signatory_forms.OrganisationForm, {"check_duplicates": True}),
        "ChampionForm": (
            signatory_forms.ChampionForm,
            {"organisation": w.food_bank, "memberships": w.food_bank.memberships.select_related("user")},
        ),
        "InviteForm": (signatory_forms.InviteForm, {"organisation": w.food_bank}),
        "RoleForm": (signatory_forms.RoleForm, {"membership": w.colleague_membership}),
        "AccountForm": (signatory_forms.AccountForm, {"email": "newcomer@example.org"}),
        "SignatoryImportForm": (SignatoryImportForm, {}),
        "NoticeForm:new": (
            funding_forms.NoticeForm,
            {"issuers": [w.council, w.food_bank], "compacts": compacts + compacts[:0]},
        ),
        "NoticeForm:edit": (funding_forms.NoticeForm, {"notice": w.notice}),
        "StepForm": (funding_forms.StepForm, {"kinds": list(NoticeStep.Kind)}),
        "CaseForm": (
            dispute_forms.CaseForm,
            {"organisations": [w.food_bank, w.youth_club], "respondent": w.council, "undertakings": undertakings},
        ),
        "RespondentSearchForm": (dispute_forms.RespondentSearchForm, {}),
        "MoveForm:formal": (dispute_forms.MoveForm, {"to": "formal"}),
        "MoveForm:closing": (dispute_forms.MoveForm, {"to": "closed:resolved"}),
        "EntryForm": (dispute_forms.EntryForm, {"coordinator": True}),
        "LetterForm": (LetterForm, {"case": w.formal_case}),
        "GuardReviewForm": (dispute_forms.GuardReviewForm, {}),
        "EmailPreferencesForm": (notification_forms.EmailPreferencesForm, {"emailed": set()}),
    }


FORM_CASE_IDS = [
    "LoginForm",
    "ResetRequestForm",
    "ChooseNewPasswordForm",
    "ConfirmForm",
    "EditionNewForm",
    "EditionSettingsForm",
    "PrincipleForm",
    "OutcomeForm",
    "UndertakingForm",
    "CodeOfPracticeForm",
    "ImportUploadForm",
    "ImportRuleForm",
    "ConsultationForm:new",
    "ConsultationForm:edit",
    "ResponseForm",
    "FeedbackItemForm",
    "FeedbackSummaryForm",
    "AlertStopForm",
    "ChooseOrganisationForm",
    "SigningForm",
    "SigningForm:on_behalf",
    "ApproveForm",
    "ReasonForm",
    "OrganisationForm",
    "ChampionForm",
    "InviteForm",
    "RoleForm",
    "AccountForm",
    "SignatoryImportForm",
    "NoticeForm:new",
    "NoticeForm:edit",
    "StepForm",
    "CaseForm",
    "RespondentSearchForm",
    "MoveForm:formal",
    "MoveForm:closing",
    "EntryForm",
    "LetterForm",
    "GuardReviewForm",
    "EmailPreferencesForm",
]


def _bind(form_class, kwargs, data=None, files=None):
    if form_class.__name__ == "LoginForm":  # authenticating needs the request (django-axes reads it)
        from django.test import RequestFactory

        return form_class(RequestFactory().post("/accounts/sign-in/"), data=data, files=files, **kwargs)
    if form_class.__name__ == "ChooseNewPasswordForm":
        return form_class(kwargs["user"], data=data, files=files)
    return form_class(data=data, files=files, **kwargs)


@pytest.mark.parametrize("case_id", FORM_CASE_IDS)
def test_no_input_makes_a_form_raise(case_id, world):
    form_class, kwargs = _form_cases(world)[case_id]
    unbound = _bind(form_class, kwargs)
    spec = spec_from_html(str(unbound))
    assert spec.fields or spec.date_groups or form_class is ConfirmForm, "the form should show its fields"

    @fuzz_settings(EXAMPLES * 2)
    @given(pairs=payload(spec))
    def validate_anything(pairs):
        data, files = query_dicts(pairs)
        savepoint = transaction.savepoint()
        try:
            form = _bind(form_class, kwargs, data, files)
            form.is_valid()
            str(form)  # the form shown again, with its errors
        finally:
            transaction.savepoint_rollback(savepoint)

    validate_anything()
