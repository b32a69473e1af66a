"""The notifications engine knows no app: each app registers its kinds, reminders and calendar events.

Every kind sent is declared once, by its app, with a label for the preferences page and the email
templates it is sent with; a kind no app declared is refused when sent, so any test that sends one
fails (this replaces a check that searched the source for ``kind="…"`` and missed the disputes kinds).
"""

import ast

import pytest
from django.apps import apps
from django.core import mail
from django.template.loader import render_to_string

from notifications import registry
from notifications.models import Notification
from notifications.reminders import reminder_sources
from notifications.services import Recipient, notify
from tests.accounts.factories import UserFactory
from tests.conftest import ROOT

NOTIFICATIONS = ROOT / "notifications"


class _Anything(int):
    """Any value a template asks for: a name, a number (``blocktranslate count``), a date-less object."""

    def __new__(cls):
        return super().__new__(cls, 2)

    def __getattr__(self, name: str) -> "_Anything":
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything()

    def __getitem__(self, key) -> "_Anything":
        return _Anything()

    def __iter__(self):
        return iter([_Anything()])

    def __str__(self) -> str:
        return "Something"


class _AnyContext(dict):
    """Every variable a template names is there (as :class:`_Anything`)."""

    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, key) -> _Anything:
        return _Anything()


def test_every_registered_kind_has_a_label_and_email_templates_that_render():
    kinds = registry.kinds()
    groups = {group.code: group for group in registry.groups()}
    assert len(kinds) >= 27
    for kind in kinds:
        assert kind.group in groups, kind.code
        assert str(kind.label).strip() and str(kind.description).strip(), kind.code
        assert kind.templates, kind.code
        for template in kind.templates:
            subject, _, body = (
                render_to_string(template, _AnyContext(link="https://portal.example.org/x/")).strip().partition("\n")
            )
            assert subject.strip() and body.strip(), f"{kind.code}: {template}"
    for group in groups.values():
        assert str(group.title).strip() and str(group.hint).strip()
    # An invitation's email is the invitation; a flag of the guard against retaliation must reach the coordinator.
    assert sorted(kind.code for kind in kinds if not kind.switchable) == ["guard_flag_raised", "invitation"]


def test_every_email_template_of_a_notification_belongs_to_a_registered_kind():
    """A new email that no kind declares would be sent under a kind missing from the preferences page."""
    declared = {template for kind in registry.kinds() for template in kind.templates}
    templates = {
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates").glob("*/emails/*.txt")
        if path.parent.parent.name not in ("accounts", "notifications")  # password reset; the reminders' footer
    }
    assert templates - declared == set()
    assert declared - templates == set()


def test_each_app_registers_its_kinds_and_reminders_with_the_engine():
    codes = {kind.code for kind in registry.kinds()}
    assert {"signature_applied", "invitation", "reaffirm_2_weeks", "approval_waiting"} <= codes
    assert {"consultation_opened", "consultation_feedback_overdue", "consultation_response"} <= codes
    assert {"funding_notice_received", "funding_effective_1_month"} <= codes
    assert {"case_opened", "case_entry_added", "case_stage_due_soon", "case_stage_overdue"} <= codes
    assert {"action_due_soon", "action_overdue"} <= codes
    assert {
        "mediation_started",
        "mediation_appointed",
        "mediation_confirmed",
        "agreement_action_due_soon",
        "agreement_action_overdue",
    } <= codes
    groups = [group.code for group in registry.groups()]
    assert groups == [
        "signups",
        "reminders",
        "members",
        "consultations",
        "funding",
        "disputes",
        "mediation",
        "action_plans",
    ]
    assert [source.__module__ for source in reminder_sources()] == [
        "signatories.reminders",
        "consultations.reminders",
        "funding.reminders",
        "disputes.reminders",
        "mediation.reminders",
        "actionplans.reminders",
    ]


@pytest.mark.django_db
def test_a_kind_no_app_registered_is_refused_and_nothing_is_sent(django_capture_on_commit_callbacks):
    user = UserFactory()

    with pytest.raises(registry.UnknownKind, match="no_such_kind"), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[Recipient.for_user(user), Recipient(email="someone@example.org")],
            kind="no_such_kind",
            template="signatories/emails/approved.txt",
            context={},
        )

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_second_kind_with_the_same_code_is_refused():
    existing = registry.kind("invitation")
    group = next(group for group in registry.groups() if group.code == existing.group)
    changed = registry.Kind(existing.code, existing.group, existing.label, existing.description, ("x.txt",))

    with pytest.raises(registry.ImproperlyConfigured, match="invitation"):
        registry.register_kinds(group, [changed])

    assert registry.kind("invitation") == existing


def _project_apps() -> set[str]:
    return {config.name for config in apps.get_app_configs() if (ROOT / config.name / "apps.py").exists()}


def test_the_notifications_engine_imports_no_app_above_it():
    """Not at the top of a module, not inside a function: the apps register with it instead."""
    above = _project_apps() - {"notifications", "accounts"}
    assert {"commitments", "signatories", "consultations", "funding", "disputes"} <= above
    found = []
    for path in NOTIFICATIONS.glob("**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in names if name.split(".")[0] in above]
    assert found == []
