# ruff: noqa: E501 (the matrix is a table, one route per line, its columns aligned)
"""The access matrix: for every route of the portal, the answer each role must get.

Each row names a route (``namespace:name``), how to fill its URL from the world
(``tests/access/world.py``) and the expected answer per role, in the order of the columns:

    anon   unrel  vcs_m  vcs_a  officr coord  othco  super

anonymous; admin of an unrelated VCS group; member / admin of Riverside Food Bank; officer (admin)
of Riverside Borough Council; coordinator of the Riverside Compact; coordinator of the Hillside
Compact; superuser.

The rules of the portal: nobody sees what is not theirs. A confidential page answers 404 to someone
who may not see it (so its existence is not revealed); a coordinator's management page answers 403;
an anonymous visitor is sent to sign in (``LOGIN``) where a page needs an account.

``post=True`` marks a route that takes POST: every role whose GET answer is a refusal (``LOGIN``,
403, 404, 410) also sends an empty POST, which must get the same refusal and change nothing. A
tuple instead gives the POST answers per role (``None``: not tried, that role may act).

Every route of the Django admin is covered once by ``admin_entries()``: people who are not staff are
sent to the admin's sign-in page; the superuser gets the page (or the answer in ``ADMIN_SUPERUSER``).
Each admin route is asked as anonymous, as a coordinator and as the superuser (``ADMIN_ROLES``).
"""

import datetime
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from compact_portal.dates import financial_year_of
from tests.access.routes import Route, all_routes
from tests.access.world import ROLES, World

# --- What an answer looks like -----------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    where: Callable[[World, str], str] | None = None  # the expected Location, from the world and the URL asked
    label: str = ""

    @property
    def refuses(self) -> bool:
        return self.label in ("LOGIN", "ADMIN_LOGIN") or self.status in (403, 404, 410)

    def __str__(self) -> str:
        return self.label or str(self.status)


LOGIN = Expect(302, lambda w, url: redirect_to_login(url).url, "LOGIN")
ADMIN_LOGIN = Expect(302, lambda w, url: redirect_to_login(url, reverse("admin:login")).url, "ADMIN_LOGIN")


def to(name: str, **kwargs) -> Expect:
    """302 to the named route, its kwargs filled from the world like a row's."""
    fill = kw(**kwargs)
    return Expect(302, lambda w, url: reverse(name, kwargs=fill(w)), f"302→{name}")


def see_other(name: str, **kwargs) -> Expect:
    fill = kw(**kwargs)
    return Expect(303, lambda w, url: reverse(name, kwargs=fill(w)), f"303→{name}")


def _expect(value) -> Expect | None:
    if value is None or isinstance(value, Expect):
        return value
    return Expect(int(value))


# --- How a row fills its URL -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    """A literal value for a URL argument (a plain string names an attribute of the world)."""

    value: object


def kw(**spec) -> Callable[[World], dict]:
    """``kw(slug="a.slug", pk="a_draft.pk", part=Lit("principles"))``: the URL's kwargs from the world."""

    def fill(world: World) -> dict:
        return {
            name: value.value if isinstance(value, Lit) else operator.attrgetter(value)(world)
            for name, value in spec.items()
        }

    return fill


@dataclass(frozen=True)
class Entry:
    route: str
    kwargs: Callable[[World], dict]
    get: tuple
    post: bool | tuple = False
    variant: str = ""
    query: str = ""
    path: Callable[[World], str] | None = None  # for a route that cannot be reversed by name

    def __post_init__(self):
        if len(self.get) != len(ROLES):
            raise ValueError(f"{self.label}: {len(self.get)} GET answers for {len(ROLES)} roles")
        if isinstance(self.post, tuple) and len(self.post) != len(ROLES):
            raise ValueError(f"{self.label}: {len(self.post)} POST answers for {len(ROLES)} roles")
        object.__setattr__(self, "get", tuple(_expect(v) for v in self.get))
        if isinstance(self.post, tuple):
            object.__setattr__(self, "post", tuple(_expect(v) for v in self.post))

    @property
    def label(self) -> str:
        return f"{self.route}[{self.variant}]" if self.variant else self.route

    def url(self, world: World) -> str:
        url = self.path(world) if self.path else reverse(self.route, kwargs=self.kwargs(world))
        return f"{url}?{self.query}" if self.query else url

    def expect_get(self, role: str) -> Expect | None:
        """The answer to GET; None when the role is not asked (only in the admin rule)."""
        return self.get[ROLES.index(role)]

    def expect_post(self, role: str) -> Expect | None:
        """The answer to an empty POST, for a role that must not act; None when not tried."""
        if isinstance(self.post, tuple):
            return self.post[ROLES.index(role)]
        if self.post:
            answer = self.expect_get(role)
            return answer if answer is not None and answer.refuses else None
        return None


def row(route, kwargs, get, *, post=False, variant="", query="") -> Entry:
    return Entry(route=route, kwargs=kwargs, get=get, post=post, variant=variant, query=query)


NONE = kw()
A = kw(slug="a.slug")
B = kw(slug="b.slug")
ALL_200 = (200,) * 8
# The current financial year: every Compact offers it, whatever its records.
THIS_YEAR = financial_year_of(datetime.date.today())
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200, 200, 200)
# A coordinator's management page of the Riverside Compact (superusers coordinate every Compact).
MANAGE_A = (LOGIN, 403, 403, 403, 403, 200, 403, 200)
# The food bank's own pages: its members see them, its admins change it; nobody else learns of it.
FOOD_BANK_SEE = (LOGIN, 404, 200, 200, 404, 404, 404, 200)
FOOD_BANK_CHANGE = (LOGIN, 404, 403, 200, 404, 404, 404, 200)
# The concern, food bank against council: the parties, the Compact's coordinator (and superusers).
CASE_SEE = (LOGIN, 404, 200, 200, 200, 200, 404, 200)
COORDINATOR_A_ONLY_404 = (LOGIN, 404, 404, 404, 404, 200, 404, 200)
# The national body's pages: its people and superusers (the national user: see national_entries).
NATIONAL_ONLY = (LOGIN, 403, 403, 403, 403, 403, 403, 200)
# An action of the plan led by the food bank: its members and the coordinator update it; to anyone else it is not there.
FOOD_BANK_LEADS = (LOGIN, 404, 200, 200, 404, 200, 404, 200)
# The council's evidence before it is accepted: the council's members and the coordinator.
COUNCIL_EVIDENCE = (LOGIN, 404, 404, 404, 200, 200, 404, 200)
# A mediation's page that only its appointed mediator acts on: the others who see the mediation are refused.
MEDIATOR_ONLY = (LOGIN, 404, 403, 403, 403, 403, 404, 403)
# A draft edition is the coordinators' alone: to anyone else it does not exist.
DRAFT_A = (404, 404, 404, 404, 404, 200, 404, 200)

# fmt: off
MATRIX: list[Entry] = [
    #    route                                  kwargs                                  anon   unrel  vcs_m  vcs_a  officr coord  othco  super
    row("home",                                 NONE,                                   ALL_200),
    row("accessibility",                        NONE,                                   ALL_200),
    row("brand_css",                            NONE,                                   ALL_200),
    row("privacy",                              NONE,                                   ALL_200),
    # --- accounts ---
    row("accounts:dashboard",                   NONE,                                   SIGNED_IN),
    row("accounts:login",                       NONE,                                   ALL_200),
    row("accounts:logout",                      NONE,                                   (405,) * 8),  # POST only; anyone may sign out
    row("accounts:password_reset",              NONE,                                   ALL_200),
    row("accounts:password_reset_done",         NONE,                                   ALL_200),
    row("accounts:password_reset_confirm",      kw(uidb64=Lit("MQ"), token=Lit("bad-token")), ALL_200),  # "link not valid"
    row("accounts:password_reset_complete",     NONE,                                   ALL_200),
    # Multi-factor sign-in: only coordinators and superusers set it up; everyone here has passed it
    # (force_login skips it), so the code page sends them on.
    row("accounts:mfa_setup",                   NONE,                                   (LOGIN, to("accounts:dashboard"), to("accounts:dashboard"), to("accounts:dashboard"), to("accounts:dashboard"), 200, 200, 200), post=True),
    row("accounts:mfa_verify",                  NONE,                                   (LOGIN,) + (to("accounts:dashboard"),) * 7, post=True),
    row("accounts:mfa_recovery_codes",          NONE,                                   (LOGIN,) + (to("accounts:dashboard"),) * 7),
    row("accounts:password_change",             NONE,                                   SIGNED_IN, post=True),
    row("accounts:password_change_done",        NONE,                                   SIGNED_IN),
    row("accounts:language",                    NONE,                                   SIGNED_IN, post=True),
    # Single sign-on with the council's provider: off in the matrix's settings (not configured), so
    # nobody reaches it; configured, tests/accounts/test_sign_on.py follows it through a test provider.
    row("accounts:oidc_start",                  NONE,                                   (404,) * 8),
    row("accounts:oidc_callback",               NONE,                                   (404,) * 8),
    # --- commitments: public ---
    row("commitments:compact_list",             NONE,                                   ALL_200),
    row("commitments:compact_detail",           A,                                      ALL_200),
    row("commitments:edition_list",             A,                                      ALL_200),
    row("commitments:edition_detail",           kw(slug="a.slug", pk="a_current.pk"),    (to("commitments:compact_detail", slug="a.slug"),) * 8, variant="current"),
    row("commitments:edition_detail",           kw(slug="a.slug", pk="a_superseded.pk"), ALL_200, variant="superseded"),
    row("commitments:edition_detail",           kw(slug="a.slug", pk="a_draft.pk"),      DRAFT_A, variant="draft"),
    row("commitments:edition_detail",           kw(slug="a.slug", pk="b_draft.pk"),      (404,) * 8, variant="other-compact-draft"),
    row("commitments:edition_compare",          kw(slug="a.slug", pk="a_current.pk"),    ALL_200, variant="current"),
    row("commitments:edition_compare",          kw(slug="a.slug", pk="a_draft.pk"),      DRAFT_A, variant="draft"),
    row("commitments:edition_pdf",              kw(slug="a.slug", pk="a_current.pk"),    ALL_200, variant="current"),
    row("commitments:edition_pdf",              kw(slug="a.slug", pk="a_draft.pk"),
        (404, 404, 404, 404, 404, see_other("commitments:edition_pdf_progress", slug="a.slug", pk="a_draft.pk"), 404,
         see_other("commitments:edition_pdf_progress", slug="a.slug", pk="a_draft.pk")), post=True, variant="draft"),
    row("commitments:edition_pdf_progress",     kw(slug="a.slug", pk="a_current.pk"),    ALL_200, variant="current"),
    row("commitments:edition_pdf_progress",     kw(slug="a.slug", pk="a_draft.pk"),      DRAFT_A, variant="draft"),
    row("commitments:edition_pdf_signing",      kw(slug="a.slug", pk="a_current.pk"),    ALL_200, variant="current"),
    row("commitments:edition_pdf_signing",      kw(slug="a.slug", pk="a_draft.pk"),
        (404, 404, 404, 404, 404, see_other("commitments:edition_pdf_signing_progress", slug="a.slug", pk="a_draft.pk"), 404,
         see_other("commitments:edition_pdf_signing_progress", slug="a.slug", pk="a_draft.pk")), post=True, variant="draft"),
    row("commitments:edition_pdf_signing_progress", kw(slug="a.slug", pk="a_current.pk"), ALL_200, variant="current"),
    row("commitments:edition_pdf_signing_progress", kw(slug="a.slug", pk="a_draft.pk"),  DRAFT_A, variant="draft"),
    # The PDF in Welsh (and side by side): the same answers as in English.
    row("commitments:edition_pdf_language",     kw(slug="a.slug", pk="a_current.pk", language=Lit("cy")), ALL_200, variant="current"),
    row("commitments:edition_pdf_language",     kw(slug="a.slug", pk="a_draft.pk", language=Lit("bilingual")),
        (404, 404, 404, 404, 404, see_other("commitments:edition_pdf_language_progress", slug="a.slug", pk="a_draft.pk", language=Lit("bilingual")), 404,
         see_other("commitments:edition_pdf_language_progress", slug="a.slug", pk="a_draft.pk", language=Lit("bilingual"))), post=True, variant="draft"),
    row("commitments:edition_pdf_language_progress", kw(slug="a.slug", pk="a_current.pk", language=Lit("cy")), ALL_200, variant="current"),
    row("commitments:edition_pdf_language_progress", kw(slug="a.slug", pk="a_draft.pk", language=Lit("cy")), DRAFT_A, variant="draft"),
    row("commitments:edition_pdf_language_signing", kw(slug="a.slug", pk="a_current.pk", language=Lit("cy")), ALL_200, variant="current"),
    row("commitments:edition_pdf_language_signing", kw(slug="a.slug", pk="a_draft.pk", language=Lit("cy")),
        (404, 404, 404, 404, 404, see_other("commitments:edition_pdf_language_signing_progress", slug="a.slug", pk="a_draft.pk", language=Lit("cy")), 404,
         see_other("commitments:edition_pdf_language_signing_progress", slug="a.slug", pk="a_draft.pk", language=Lit("cy"))), post=True, variant="draft"),
    row("commitments:edition_pdf_language_signing_progress", kw(slug="a.slug", pk="a_current.pk", language=Lit("cy")), ALL_200, variant="current"),
    row("commitments:edition_pdf_language_signing_progress", kw(slug="a.slug", pk="a_draft.pk", language=Lit("cy")), DRAFT_A, variant="draft"),
    # --- commitments: coordinators ---
    row("commitments:manage",                   A,                                      MANAGE_A),
    row("commitments:manage",                   B,                                      (LOGIN, 403, 403, 403, 403, 403, 200, 200), variant="hillside"),
    row("commitments:edition_new",              A,                                      MANAGE_A, post=True),
    row("commitments:compact_settings",         A,                                      MANAGE_A, post=True),
    row("commitments:compact_directory_settings", A,                                    MANAGE_A, post=True),
    row("commitments:logo_list",                A,                                      MANAGE_A, post=True),
    row("commitments:logo_delete",              kw(slug="a.slug", logo_pk="a_logo.pk"), MANAGE_A, post=True),
    row("commitments:import_upload",            A,                                      MANAGE_A, post=True),
    row("commitments:import_preview",           A,                                      (LOGIN, 403, 403, 403, 403, to("commitments:import_upload", slug="a.slug"), 403,
                                                                                         to("commitments:import_upload", slug="a.slug")), post=True),
    row("commitments:import_rule_add",          A,                                      (LOGIN, 403, 403, 403, 403, to("commitments:import_upload", slug="a.slug"), 403,
                                                                                         to("commitments:import_upload", slug="a.slug")), post=True),
    row("commitments:import_rule_remove",       kw(slug="a.slug", pk=Lit(999999)),      (405,) * 8,
        post=(LOGIN, 403, 403, 403, 403, to("commitments:import_upload", slug="a.slug"), 403, to("commitments:import_upload", slug="a.slug"))),
    row("commitments:edition_edit",             kw(slug="a.slug", pk="a_draft.pk"),      MANAGE_A),
    row("commitments:edition_edit",             kw(slug="a.slug", pk="b_draft.pk"),      (LOGIN, 403, 403, 403, 403, 404, 403, 404), variant="other-compact-draft"),
    row("commitments:edition_settings",         kw(slug="a.slug", pk="a_draft.pk"),      MANAGE_A, post=True),
    row("commitments:edition_publish",          kw(slug="a.slug", pk="a_draft.pk"),      MANAGE_A, post=True),
    row("commitments:edition_history",          kw(slug="a.slug", pk="a_current.pk"),    MANAGE_A),
    row("commitments:part_create",              kw(slug="a.slug", pk="a_draft.pk", part=Lit("principles")), MANAGE_A, post=True),
    row("commitments:part_update",              kw(slug="a.slug", pk="a_draft.pk", part=Lit("principles"), part_pk="draft_principle.pk"), MANAGE_A, post=True),
    row("commitments:part_delete",              kw(slug="a.slug", pk="a_draft.pk", part=Lit("principles"), part_pk="draft_principle.pk"), MANAGE_A, post=True),
    # --- signatories: the public register ---
    row("signatories:register",                 A,                                      ALL_200),
    row("signatories:register_csv",             A,                                      ALL_200),
    row("signatories:coverage",                 A,                                      ALL_200),
    row("signatories:organisation_public",      kw(pk="council.pk"),                    ALL_200),  # signed: on a register
    row("signatories:organisation_public",      kw(pk="food_bank.pk"),                  (404,) * 8, variant="not-signed"),
    row("signatories:import_upload",            A,                                      MANAGE_A, post=True),
    row("signatories:import_preview",           A,                                      (LOGIN, 403, 403, 403, 403, to("signatories:import_upload", slug="a.slug"), 403,
                                                                                         to("signatories:import_upload", slug="a.slug")), post=True),
    # --- signatories: signing ---
    row("signatories:sign_up",                  A,                                      SIGNED_IN, post=True),
    row("signatories:record_on_behalf",         A,                                      (LOGIN, 403, 403, 403, 200, 200, 403, 200), post=True),
    row("signatories:pending_list",             A,                                      MANAGE_A),
    row("signatories:pending_list",             B,                                      (LOGIN, 403, 403, 403, 403, 403, 200, 200), variant="hillside"),
    row("signatories:signature_detail",         kw(pk="pending.pk"),                    (LOGIN, 404, 200, 200, 404, 200, 404, 200)),
    row("signatories:signed_form",              kw(pk="pending.pk"),                    (LOGIN, 404, 404, 404, 404, 200, 404, 200)),  # the coordinator's alone
    row("signatories:signature_approve",        kw(pk="pending.pk"),                    (LOGIN, 404, 403, 403, 404, 200, 404, 200), post=True),
    row("signatories:signature_reject",         kw(pk="pending.pk"),                    (LOGIN, 404, 403, 403, 404, 200, 404, 200), post=True),
    row("signatories:signature_withdraw",       kw(pk="pending.pk"),                    (LOGIN, 404, 403, 200, 404, 200, 404, 200), post=True),
    row("signatories:signature_detail",         kw(pk="hillside_signature.pk"),         (LOGIN, 200, 404, 404, 404, 404, 200, 200), variant="hillside"),
    row("signatories:signature_withdraw",       kw(pk="hillside_signature.pk"),         (LOGIN, 200, 404, 404, 404, 404, 200, 200), post=True, variant="hillside"),
    row("signatories:signature_reaffirm",       kw(pk="reaffirm.pk"),                   (LOGIN, 404, 404, 404, 200, 403, 404, 200), post=True),
    # --- signatories: the coordinator's approval of organisations' sectors (any Compact's coordinator) ---
    row("signatories:bouncing_list",            A,                                      MANAGE_A),
    row("signatories:bouncing_list",            B,                                      (LOGIN, 403, 403, 403, 403, 403, 200, 200), variant="hillside"),
    row("signatories:organisation_pending_list", A,                                     MANAGE_A),
    row("signatories:organisation_pending_list", B,                                     (LOGIN, 403, 403, 403, 403, 403, 200, 200), variant="hillside"),
    row("signatories:organisation_approve",     kw(slug="a.slug", pk="pending_body.pk"), MANAGE_A, post=True),
    row("signatories:organisation_reject",      kw(slug="a.slug", pk="pending_body.pk"), MANAGE_A, post=True),
    # --- signatories: organisations ---
    row("signatories:organisation_new",         NONE,                                   SIGNED_IN, post=True),
    row("signatories:organisation_detail",      kw(pk="food_bank.pk"),                  FOOD_BANK_SEE),
    row("signatories:organisation_edit",        kw(pk="food_bank.pk"),                  FOOD_BANK_CHANGE, post=True),
    row("signatories:champion",                 kw(pk="food_bank.pk"),                  FOOD_BANK_CHANGE, post=True),
    row("signatories:invite",                   kw(pk="food_bank.pk"),                  FOOD_BANK_CHANGE, post=True),
    row("signatories:membership_role",          kw(pk="food_bank.pk", membership_pk="member_membership.pk"), FOOD_BANK_CHANGE, post=True),
    # The emailed link is the key: whoever holds it may join (so an empty POST is not tried).
    row("signatories:invitation_cancel",        kw(pk="food_bank.pk", invitation_pk="invitation.pk"), FOOD_BANK_CHANGE, post=True),
    row("signatories:invitation_accept",        kw(token="invitation_token"),           ALL_200, variant="open"),
    row("signatories:invitation_accept",        kw(token="used_invitation_token"),      (410,) * 8, post=True, variant="used"),
    row("signatories:invitation_accept",        kw(token=Lit("no-such-invitation")),    (404,) * 8, post=True, variant="unknown"),
    # --- consultations (public; changing one is for its body and the coordinator) ---
    row("consultations:list",                   NONE,                                   ALL_200),
    row("consultations:create",                 NONE,                                   (LOGIN, 403, 403, 403, 200, 403, 403, 403), post=True),
    row("consultations:detail",                 kw(pk="consultation.pk"),               ALL_200),
    row("consultations:edit",                   kw(pk="consultation.pk"),               (LOGIN, 403, 403, 403, 200, 200, 403, 200), post=True),
    row("consultations:document",               kw(pk="consultation.pk"),               ALL_200),
    row("consultations:respond",                kw(pk="consultation.pk"),               (LOGIN, 200, 200, 200, 403, 403, 403, 403), post=True),
    # A response's file: a download, not a page; 404 even to the anonymous (tests/consultations/test_views.py).
    row("consultations:response_file",          kw(pk="consultation.pk", response_pk="response.pk"), (404, 404, 200, 200, 200, 200, 404, 200)),
    row("consultations:alerts",                 kw(pk="consultation.pk"),               (LOGIN, 403, 403, 403, 200, 200, 403, 200), post=True),
    row("consultations:feedback",               kw(pk="consultation.pk"),               (LOGIN, 403, 403, 403, 200, 200, 403, 200), post=True),
    row("consultations:feedback_publish",       kw(pk="consultation.pk"),               (LOGIN, 403, 403, 403, 200, 200, 403, 200), post=True),
    # --- funding notices (confidential to the two organisations and the coordinator) ---
    row("funding:list",                         NONE,                                   SIGNED_IN),
    row("funding:create",                       NONE,                                   (LOGIN, 403, 403, 403, 200, 403, 403, 403), post=True),
    row("funding:detail",                       kw(pk="notice.pk"),                     (LOGIN, 404, 200, 200, 200, 200, 404, 200)),
    row("funding:edit",                         kw(pk="notice.pk"),                     (LOGIN, 404, 403, 403, 200, 200, 404, 200), post=True),
    # The right of reply (issue 16): the timeline is on the notice's page; each side adds to it on its own page.
    row("funding:reply",                        kw(pk="notice.pk"),                     (LOGIN, 404, 200, 200, 403, 403, 404, 403), post=True),
    row("funding:respond",                      kw(pk="notice.pk"),                     (LOGIN, 404, 403, 403, 200, 403, 404, 403), post=True),
    row("funding:step_file",                    kw(pk="notice.pk", step_pk="notice_step.pk"), (LOGIN, 404, 200, 200, 200, 200, 404, 200)),
    row("funding:detail",                       kw(pk="hillside_notice.pk"),            (LOGIN, 200, 404, 404, 404, 404, 200, 200), variant="hillside"),
    row("funding:edit",                         kw(pk="hillside_notice.pk"),            (LOGIN, 403, 404, 404, 404, 404, 200, 200), post=True, variant="hillside"),
    # --- disputes (confidential to the parties and the coordinator) ---
    row("disputes:list",                        NONE,                                   SIGNED_IN),
    row("disputes:create",                      NONE,                                   SIGNED_IN, post=True),
    row("disputes:figures",                     A,                                      ALL_200),
    # The guard against retaliation: the coordinator's flags; the body (officer) must never reach them.
    row("disputes:guard_flags",                 A,                                      MANAGE_A),
    row("disputes:guard_flag",                  kw(slug="a.slug", pk="guard_flag.pk"),  MANAGE_A, post=True),
    row("disputes:guard_flag",                  kw(slug="b.slug", pk="guard_flag.pk"),  (LOGIN, 403, 403, 403, 403, 403, 404, 404), post=True, variant="other-compact"),
    # --- monitoring (public: aggregate measures, concern figures under 3 withheld) ---
    row("monitoring:measures",                  A,                                      ALL_200),
    row("monitoring:measures_csv",              A,                                      ALL_200),
    # --- reviews (public: the annual review the council publishes; no names, concern figures under 3 withheld) ---
    row("reviews:review",                       A,                                      ALL_200),
    # The PDF is rendered by a worker after the request commits: the first answer is the page that waits.
    row("reviews:pdf",                          kw(slug="a.slug", year=Lit(THIS_YEAR)),
        (see_other("reviews:pdf_progress", slug="a.slug", year=Lit(THIS_YEAR)),) * 8),
    row("reviews:pdf",                          kw(slug="a.slug", year=Lit(1999)),      (404,) * 8, post=True, variant="no-data"),
    row("reviews:pdf_progress",                 kw(slug="a.slug", year=Lit(THIS_YEAR)), ALL_200),
    row("reviews:csv",                          kw(slug="a.slug", year=Lit(THIS_YEAR)), ALL_200),
    row("reviews:csv",                          kw(slug="a.slug", year=Lit(1999)),      (404,) * 8, variant="no-data"),
    row("reviews:ods",                          kw(slug="a.slug", year=Lit(THIS_YEAR)), ALL_200),
    row("disputes:detail",                      kw(pk="case.pk"),                       CASE_SEE),
    row("disputes:detail",                      kw(pk="hillside_case.pk"),              (LOGIN, 200, 404, 404, 404, 404, 200, 200), variant="hillside"),
    # The complainant and the coordinator move it on; the respondent is offered no move (404).
    row("disputes:move",                        kw(pk="case.pk"),                       (LOGIN, 404, 200, 200, 404, 200, 404, 200), post=True, query="to=mediation"),
    row("disputes:add_entry",                   kw(pk="case.pk"),                       CASE_SEE, post=True),
    row("disputes:file",                        kw(pk="case.pk", entry_pk="shared_entry.pk"),   CASE_SEE, variant="shared"),
    row("disputes:file",                        kw(pk="case.pk", entry_pk="internal_entry.pk"), COORDINATOR_A_ONLY_404, variant="internal"),
    row("disputes:read_log",                    kw(pk="case.pk"),                       COORDINATOR_A_ONLY_404),
    # A withheld complainant's concern drawn from a funding notice: the council does not know of it
    # until the coordinator releases it; the file as uploaded and the checks are the coordinator's.
    row("disputes:detail",                      kw(pk="withheld_case.pk"),              (LOGIN, 404, 200, 200, 404, 200, 404, 200), variant="held"),
    row("disputes:file",                        kw(pk="withheld_case.pk", entry_pk="withheld_entry.pk"), (LOGIN, 404, 200, 200, 404, 200, 404, 200), variant="held"),
    row("disputes:file_original",               kw(pk="withheld_case.pk", entry_pk="withheld_entry.pk"), COORDINATOR_A_ONLY_404),
    row("disputes:file_original",               kw(pk="case.pk", entry_pk="shared_entry.pk"), (LOGIN, 404, 404, 404, 404, 404, 404, 404), variant="nothing-kept"),
    row("disputes:entry_check",                 kw(pk="withheld_case.pk", entry_pk="withheld_entry.pk"), COORDINATOR_A_ONLY_404, post=True),
    row("disputes:case_check",                  kw(pk="withheld_case.pk"),              COORDINATOR_A_ONLY_404, post=True),
    row("disputes:read_log",                    kw(pk="hillside_case.pk"),              (LOGIN, 404, 404, 404, 404, 404, 200, 200), variant="hillside"),
    row("disputes:letter_new",                  kw(pk="case.pk"),                       (LOGIN, 404, 200, 200, 403, 200, 404, 200), post=True),
    row("disputes:letter_progress",             kw(pk="case.pk", letter_pk="letter.pk"), CASE_SEE,
        post=(LOGIN, 404, None, None, 403, None, 404, None)),
    row("disputes:letter_download",             kw(pk="case.pk", letter_pk="letter.pk"), CASE_SEE),
    # --- mediation (the mediators themselves: see mediator_entries) ---
    row("mediation:pool",                       NONE,                                   (LOGIN, 403, 403, 403, 403, 200, 200, 200)),
    row("mediation:accredit",                   NONE,                                   (LOGIN, 403, 403, 403, 403, 200, 200, 200), post=True),
    row("mediation:revoke",                     kw(pk="mediator_role.pk"),              MANAGE_A, post=True),
    row("mediation:settings",                   A,                                      MANAGE_A, post=True),
    row("mediation:mine",                       NONE,                                   (LOGIN,) + (403,) * 7),
    row("mediation:conflict_add",               NONE,                                   (LOGIN,) + (403,) * 7, post=True),
    row("mediation:case",                       kw(pk="mediation_case.pk"),             CASE_SEE),
    row("mediation:case",                       kw(pk="proposed_case.pk"),              CASE_SEE, variant="proposed"),
    row("mediation:case",                       kw(pk="case.pk"),                       (LOGIN,) + (404,) * 7, variant="no-mediation"),
    row("mediation:decline",                    kw(pk="proposed_case.pk", proposal_pk="proposal.pk"), (LOGIN, 404, 200, 200, 200, 403, 404, 403), post=True),
    row("mediation:decline",                    kw(pk="mediation_case.pk", proposal_pk="proposal.pk"), (LOGIN, 404, 404, 404, 404, 404, 404, 404), post=True, variant="other-case"),
    row("mediation:appoint",                    kw(pk="proposed_case.pk"),              (LOGIN, 404, 403, 403, 403, 200, 404, 200), post=True),
    row("mediation:appoint",                    kw(pk="mediation_case.pk"),             (LOGIN, 404, 403, 403, 403, 403, 404, 403), post=True, variant="appointed"),
    row("mediation:note_add",                   kw(pk="mediation_case.pk"),             MEDIATOR_ONLY, post=True),
    row("mediation:meeting_add",                kw(pk="mediation_case.pk"),             MEDIATOR_ONLY, post=True),
    row("mediation:agreement",                  kw(pk="mediation_case.pk"),             MEDIATOR_ONLY, post=True),
    row("mediation:no_agreement",               kw(pk="mediation_case.pk"),             MEDIATOR_ONLY, post=True),
    row("mediation:confirm",                    kw(pk="mediation_case.pk"),             MEDIATOR_ONLY, post=True),  # nothing agreed yet
    row("mediation:reveal",                     kw(pk="mediation_case.pk"),             (LOGIN, 404, 200, 200, 403, 403, 404, 403), post=True),
    # The files of the shared timeline, for the appointed mediator alone (see APPOINTED_OWN): the parties and the
    # coordinator open them on the concern's page (disputes:file); an internal or held entry's file is nobody's here.
    row("mediation:entry_file",                 kw(pk="mediation_case.pk", entry_pk="mediation_shared_entry.pk"), (LOGIN,) + (404,) * 7),
    row("mediation:entry_file",                 kw(pk="mediation_case.pk", entry_pk="mediation_internal_entry.pk"), (LOGIN,) + (404,) * 7, variant="internal"),
    row("mediation:entry_file",                 kw(pk="mediation_case.pk", entry_pk="mediation_held_entry.pk"), (LOGIN,) + (404,) * 7, variant="held"),
    row("mediation:entry_file",                 kw(pk="proposed_case.pk", entry_pk="mediation_shared_entry.pk"), (LOGIN,) + (404,) * 7, variant="other-case"),
    # --- action plans: the plan is public, its notes are the coordinator's and the lead's (the food bank) ---
    row("actionplans:plan",                     A,                                      ALL_200),
    row("actionplans:plan_csv",                 A,                                      ALL_200),
    row("actionplans:manage",                   A,                                      MANAGE_A),
    row("actionplans:manage",                   B,                                      (LOGIN, 403, 403, 403, 403, 403, 200, 200), variant="hillside"),
    row("actionplans:strand_new",               A,                                      MANAGE_A, post=True),
    row("actionplans:strand_edit",              kw(slug="a.slug", pk="plan_strand.pk"), MANAGE_A, post=True),
    row("actionplans:action_new",               A,                                      MANAGE_A, post=True),
    row("actionplans:action_edit",              kw(slug="a.slug", pk="plan_action.pk"), MANAGE_A, post=True),
    row("actionplans:action_detail",            kw(slug="a.slug", pk="plan_action.pk"), FOOD_BANK_LEADS),
    row("actionplans:action_status",            kw(slug="a.slug", pk="plan_action.pk"), FOOD_BANK_LEADS, post=True),
    row("actionplans:action_note",              kw(slug="a.slug", pk="plan_action.pk"), FOOD_BANK_LEADS, post=True),
    row("actionplans:action_detail",            kw(slug="b.slug", pk="plan_action.pk"), (LOGIN,) + (404,) * 7, variant="other-compact"),
    # Evidence: given by members of signed organisations (the council), checked by the coordinator.
    row("actionplans:evidence_manage",          A,                                      MANAGE_A),
    row("actionplans:evidence_new",             A,                                      (LOGIN, 403, 403, 403, 200, 403, 403, 403), post=True),
    row("actionplans:evidence_detail",          kw(slug="a.slug", pk="evidence.pk"),    COUNCIL_EVIDENCE),
    row("actionplans:evidence_decide",          kw(slug="a.slug", pk="evidence.pk"),    (LOGIN, 404, 404, 404, 403, 200, 404, 200), post=True),
    row("actionplans:evidence_file",            kw(slug="a.slug", pk="evidence.pk"),    (404, 404, 404, 404, 200, 200, 404, 200)),
    row("actionplans:evidence_file",            kw(slug="a.slug", pk="accepted_evidence.pk"), ALL_200, variant="accepted"),
    # --- notifications and calendars ---
    row("notifications:list",                   NONE,                                   SIGNED_IN),
    row("notifications:preferences",            NONE,                                   SIGNED_IN, post=True),
    row("notifications:compact_calendar",       A,                                      ALL_200),
    # GOV.UK Notify's delivery receipts: POST only, with Notify's bearer token, never a session; with
    # no NOTIFY_CALLBACK_TOKEN (as here) receipts are off for everyone (tests/notifications/test_notify.py
    # tests the token: 401 without it or with a wrong one).
    row("notifications:notify_callback",        NONE,                                   (405,) * 8, post=(403,) * 8),
    row("notifications:organisation_calendar",  kw(token="calendar_token"),             ALL_200, variant="secret"),
    row("notifications:organisation_calendar",  kw(token=Lit("not-the-secret")),        (404,) * 8, variant="wrong"),
    row("notifications:organisation_calendar_page", kw(pk="food_bank.pk"),              FOOD_BANK_SEE,
        post=(LOGIN, 404, 403, None, 404, 404, 404, None)),
    # --- open data: public to everyone, signed in or not; a draft is nobody's in the API ---
    row("opendata:docs",                        NONE,                                   ALL_200),
    row("opendata:undertakings_csv",            A,                                      ALL_200),
    row("opendata:undertakings_csv",            kw(slug=Lit("nowhere")),                (404,) * 8, variant="unknown"),
    row("opendata:consultations_csv",           NONE,                                   ALL_200),
    row("opendata:schema",                      NONE,                                   ALL_200),
    row("opendata:compact_list",                NONE,                                   ALL_200, post=(405,) * 8),
    row("opendata:compact_detail",              A,                                      ALL_200),
    row("opendata:edition_list",                A,                                      ALL_200),
    row("opendata:edition_detail",              kw(slug="a.slug", pk="a_current.pk"),    ALL_200, variant="current"),
    row("opendata:edition_detail",              kw(slug="a.slug", pk="a_superseded.pk"), ALL_200, variant="superseded"),
    row("opendata:edition_detail",              kw(slug="a.slug", pk="a_draft.pk"),      (404,) * 8, variant="draft"),
    row("opendata:edition_detail",              kw(slug="b.slug", pk="a_current.pk"),    (404,) * 8, variant="other-compact"),
    row("opendata:undertaking_list",            A,                                      ALL_200),
    Entry("opendata:undertaking_history", lambda w: {"slug": w.a.slug, "key": w.a_current.undertakings.first().key}, ALL_200),
    Entry("opendata:undertaking_history", lambda w: {"slug": w.a.slug, "key": w.a_draft.undertakings.exclude(
        key__in=w.a_current.undertakings.values("key")).exclude(key__in=w.a_superseded.undertakings.values("key"))
        .first().key}, (404,) * 8, variant="draft-only"),
    row("opendata:signatory_list",              A,                                      ALL_200),
    row("opendata:compact_consultation_list",   A,                                      ALL_200),
    row("opendata:consultation_list",           NONE,                                   ALL_200),
    row("opendata:concern_figures",             A,                                      ALL_200),
    row("opendata:funding_years",               A,                                      ALL_200),
    row("opendata:indicators",                  A,                                      ALL_200),
    row("opendata:national_indicators",         NONE,                                   ALL_200, post=(405,) * 8),
    # --- the national body (none of the columns is in it: see national_entries for the national user) ---
    row("national:directory",                   NONE,                                   NATIONAL_ONLY),
    row("national:directory_csv",               NONE,                                   NATIONAL_ONLY),
    row("national:indicators",                  NONE,                                   NATIONAL_ONLY),
    row("national:indicators_csv",              NONE,                                   NATIONAL_ONLY),
    row("national:roles",                       NONE,                                   NATIONAL_ONLY, post=True),
    row("national:role_revoke",                 kw(pk="national_role.pk"),              NATIONAL_ONLY, post=True),
]
# fmt: on


# --- The Django admin, one rule for all its routes ---------------------------------------------------------

# What the superuser gets, by kind of admin route (a kind is the end of the route's name).
ADMIN_SUPERUSER_BY_KIND = {
    "index": 200,
    "app_list": 200,
    "login": 302,  # already signed in: on to the index
    "logout": 405,  # POST only
    "password_change": 200,
    "password_change_done": 200,
    "autocomplete": 403,  # asked without a field to complete
    "jsi18n": 200,
    "view_on_site": 302,
    "changelist": 200,
    "add": 200,
    "history": 200,
    "delete": 200,
    "change": 200,
    "password": 200,  # a user's password
    "redirect": 302,  # <object_id>/ → its change page
    "catch_all": 404,
}
# Where the superuser's answer differs from its kind's (models that cannot be added or changed here).
ADMIN_SUPERUSER = {
    "admin:auditlog_logentry_add": 403,
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:disputes_caseview_add": 403,
    "admin:funding_fundingnotice_add": 403,
    "admin:auditlog_logentry_delete": 403,
    "admin:notifications_notification_add": 403,  # a read-only record of what was sent
    "admin:notifications_reminderclaim_add": 403,  # claims are made by the sweep only
    "admin:notifications_bouncingaddress_add": 403,  # marked by Notify's receipts only
    "admin:notifications_bouncingaddress_delete": 403,  # cleared with the action, through the service
    "admin:accounts_signonidentity_add": 403,  # made by a sign-in only (deleting one unlinks)
    "admin:national_nationalrole_delete": 403,  # a role is taken away (the record kept), never deleted
    "admin:actionplans_evidence_add": 403,  # given on the portal, where its file is checked
    "admin:mediation_mediator_add": 403,  # accredited on the portal's pages, with who did it
    "admin:mediation_mediator_delete": 403,  # withdrawn (the record kept), never deleted
}

# The admin looks only at is_staff (and the superuser's permissions), so each admin route is asked as
# anonymous, as the coordinator (signed in, with the most rights short of staff) and as the superuser.
ADMIN_ROLES = ("anonymous", "coordinator", "superuser")

_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
SITE_KINDS = ("index", "login", "logout", "password_change_done", "password_change", "autocomplete", "jsi18n",
              "view_on_site", "app_list")  # fmt: skip


def admin_kind(route: Route) -> str | None:
    """Which kind of admin route this is, or None when the rule does not understand it."""
    if route.name in SITE_KINDS:
        return route.name
    if not route.name and route.pattern.endswith("(?P<url>.*)$"):
        return "catch_all"
    match = _MODEL_ROUTE.match(route.pattern)
    if match is None:
        return None
    rest = match["rest"]
    if route.name == "auth_user_password_change" and rest == "<id>/password/":
        return "password"
    if not route.name:
        return "redirect" if rest == "<path:object_id>/" else None
    for kind in ("changelist", "add", "history", "delete", "change"):
        if route.name.endswith(f"_{kind}"):
            return kind
    return None


def _admin_model(route: Route):
    match = _MODEL_ROUTE.match(route.pattern)
    return apps.get_model(match["app"], match["model"])


def _some_pk(model) -> int:
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise AssertionError(f"The world has no {model._meta.label}: add one to tests/access/world.py")
    return obj.pk


def _admin_path(route: Route, kind: str) -> Callable[[World], str]:
    def path(world: World) -> str:
        if kind == "catch_all":
            return "/admin/no-such-page/"
        if kind == "app_list":
            return reverse("admin:app_list", kwargs={"app_label": "signatories"})
        if kind == "view_on_site":
            compact_type = ContentType.objects.get_for_model(type(world.a))
            return reverse("admin:view_on_site", kwargs={"content_type_id": compact_type.pk, "object_id": world.a.pk})
        if kind in SITE_KINDS:
            return reverse(route.key)
        pk = _some_pk(_admin_model(route))
        return "/" + _CONVERTER.sub(lambda m: quote(str(pk)), route.pattern)

    return path


TO_ADMIN_INDEX = Expect(302, lambda w, url: reverse("admin:index"), "302→admin:index")


def _superuser_answer(route: Route, kind: str) -> Expect:
    if kind == "login":
        return TO_ADMIN_INDEX
    return Expect(ADMIN_SUPERUSER.get(route.key, ADMIN_SUPERUSER_BY_KIND[kind]))


def admin_entries() -> list[Entry]:
    entries = []
    for route in all_routes():
        if route.namespace != "admin":
            continue
        kind = admin_kind(route)
        if kind is None:
            continue  # test_the_admin_rule_understands_every_admin_route fails for it
        # Not staff: off to the admin's sign-in page (which itself shows them that they may not enter).
        refused = {"login": Expect(200), "logout": TO_ADMIN_INDEX}.get(kind, ADMIN_LOGIN)
        get = tuple(
            _superuser_answer(route, kind) if role == "superuser" else refused if role in ADMIN_ROLES else None
            for role in ROLES
        )
        takes_post = kind in ("add", "change", "delete", "password", "password_change", "logout")
        entries.append(
            Entry(
                route=route.key,
                kwargs=NONE,
                get=get,
                post=takes_post,
                variant="" if route.named else kind,
                path=_admin_path(route, kind),
            )
        )
    return entries


# --- An officer of a public body that no coordinator has approved yet -------------------------------------

# ``pending_officer`` (world.py) is the admin of a public body awaiting approval. On the routes that give a
# public body's rights they get the answer of an unrelated VCS group's admin (the ``unrelated`` column),
# never the officer's; where a VCS group's answer differs because the body is not voluntary either, the
# answer is given in PENDING_OFFICER_EXCEPTIONS. Rows for the Hillside Compact (where ``unrelated`` is a
# party) are left out.
PENDING_OFFICER_ROUTES = (
    "consultations:list",
    "consultations:create",
    "consultations:detail",
    "consultations:edit",
    "consultations:response_file",
    "consultations:alerts",
    "consultations:feedback",
    "consultations:feedback_publish",
    "funding:list",
    "funding:create",
    "funding:detail",
    "funding:edit",
    "funding:reply",
    "funding:respond",
    "funding:step_file",
    "signatories:record_on_behalf",
    "signatories:pending_list",
    "signatories:organisation_pending_list",
    "signatories:organisation_approve",
)
PENDING_OFFICER_EXCEPTIONS = {
    "consultations:respond": Expect(403),  # only a voluntary or community organisation responds
}


def pending_officer_entries() -> list[tuple[Entry, Expect]]:
    """(row, the answer the officer of a body awaiting approval must get) for each row concerned."""
    return [
        (entry, PENDING_OFFICER_EXCEPTIONS.get(entry.route) or entry.expect_get("unrelated"))
        for entry in MATRIX
        if (entry.route in PENDING_OFFICER_ROUTES or entry.route in PENDING_OFFICER_EXCEPTIONS) and not entry.variant
    ]


# --- A national-body user ---------------------------------------------------------------------------------

# ``national`` (world.py) is in the national body, a member of no organisation, coordinator of nothing. The
# role opens the national pages and nothing else: on every other route they get the answer of someone the
# page is nothing to (the ``unrelated`` column; for rows of the Hillside Compact, where ``unrelated`` is a
# party, the ``vcs_member`` column; for the admin, the coordinator's: not staff). So a concern, a funding
# notice, a response's file, a withheld name, an internal note and every coordinator's page refuse them.
NATIONAL_OWN = {
    "national:directory": Expect(200),
    "national:directory_csv": Expect(200),
    "national:indicators": Expect(200),
    "national:indicators_csv": Expect(200),
    "national:roles": Expect(200),
    "national:role_revoke": Expect(200),
    # The pool of mediators: the national body accredits mediators for every Compact.
    "mediation:pool": Expect(200),
    "mediation:accredit": Expect(200),
    "mediation:revoke": Expect(200),
}
NATIONAL_EXCEPTIONS = {
    # ``unrelated`` is a voluntary group's admin and may respond; someone of no organisation may not.
    "consultations:respond": Expect(403),
}


def national_entries() -> list[tuple[Entry, Expect]]:
    """(row, the answer the national user must get) for every route of the portal."""
    found = []
    for entry in all_entries():
        if entry.route in NATIONAL_OWN:
            expected = NATIONAL_OWN[entry.route]
        elif entry.route in NATIONAL_EXCEPTIONS and not entry.variant:
            expected = NATIONAL_EXCEPTIONS[entry.route]
        elif entry.route.startswith("admin:"):
            expected = entry.expect_get("coordinator")
        elif entry.variant == "hillside":
            expected = entry.expect_get("vcs_member")
        else:
            expected = entry.expect_get("unrelated")
        found.append((entry, expected))
    return found


# --- Mediators ----------------------------------------------------------------------------------------------

# ``mediator`` (world.py) is appointed to ``mediation_case``; ``proposed_mediator`` was only proposed. Both are
# members of no organisation and coordinators of nothing: on every route they get the answer of someone the
# page is nothing to (as for the national user), except their own pages and, for the appointed mediator, the
# pages of the one mediation they are appointed to. A mediation they are not appointed to, and every page of
# the disputes app (the case they mediate included), answer them 404.
MEDIATOR_OWN = {
    "mediation:mine": Expect(200),
    "mediation:conflict_add": Expect(200),
}
APPOINTED_OWN = {
    ("mediation:case", ""): Expect(200),
    ("mediation:entry_file", ""): Expect(200),
    ("mediation:note_add", ""): Expect(200),
    ("mediation:meeting_add", ""): Expect(200),
    ("mediation:agreement", ""): Expect(200),
    ("mediation:no_agreement", ""): Expect(200),
    ("mediation:confirm", ""): Expect(403),
    ("mediation:reveal", ""): Expect(403),
    ("mediation:appoint", "appointed"): Expect(403),
}


def mediator_entries(role: str) -> list[tuple[Entry, Expect]]:
    """(row, the answer ``role`` (``mediator`` or ``proposed_mediator``) must get) for every route."""
    found = []
    for entry in all_entries():
        if entry.route in MEDIATOR_OWN:
            expected = MEDIATOR_OWN[entry.route]
        elif role == "mediator" and (entry.route, entry.variant) in APPOINTED_OWN:
            expected = APPOINTED_OWN[entry.route, entry.variant]
        elif entry.route in NATIONAL_EXCEPTIONS and not entry.variant:
            expected = NATIONAL_EXCEPTIONS[entry.route]
        elif entry.route.startswith("admin:"):
            expected = entry.expect_get("coordinator")
        elif entry.variant == "hillside":
            expected = entry.expect_get("vcs_member")
        else:
            expected = entry.expect_get("unrelated")
        found.append((entry, expected))
    return found


def all_entries() -> list[Entry]:
    return MATRIX + admin_entries()


# --- What a refused POST may write ------------------------------------------------------------------------

# Reading a case is logged even when what follows is refused; nothing else may be written.
WRITES_ALLOWED_TO = ("disputes_caseview",)
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def writes(queries) -> list[str]:
    """The statements among ``queries`` (from CaptureQueriesContext) that change a table."""
    found = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match[2] not in WRITES_ALLOWED_TO:
            found.append(query["sql"][:160])
    return found
