"""No app hands people an English string that is not marked for translation.

An AST walk over the apps' Python (not tests/, migrations/ or benchmarks/) finds string literals with
letters in them (plain, f-strings, "…" % x and "…".format(x)) passed where people read them:
messages.<level>(request, "…"), ValidationError("…"), a form or model field's label=, help_text=,
verbose_name= and error_messages= values, a model's Meta verbose_name(_plural), HttpResponse("…"),
CSV header rows (writer.writerow([...]) of literals) and a management command's
self.stdout.write("…") or self.style.SUCCESS("…"). Marked strings (gettext, gettext_lazy as _,
ngettext, pgettext, format_lazy) pass: only a bare literal in those places fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

APPS = [
    "accounts",
    "commitments",
    "compact_portal",
    "consultations",
    "demo",
    "disputes",
    "funding",
    "notifications",
    "signatories",
]
NOT_CHECKED = {"migrations", "tests", "benchmarks", "__pycache__"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
FIELD_WORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
WRITERS = {"stdout", "stderr"}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
RESPONSES = {"HttpResponse", "HttpResponseBadRequest", "HttpResponseForbidden", "HttpResponseNotFound"}

# (file, literal) pairs that are right as they are, with the reason. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}


def literal_text(node: ast.AST) -> str | None:
    """The English of a string literal that nobody marked for translation (else None)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if any(c.isalpha() for c in node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
        return text if any(c.isalpha() for c in text.replace("{…}", "")) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return literal_text(node.left) or (literal_text(node.right) if isinstance(node.op, ast.Add) else None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return literal_text(node.func.value)
    return None


def name_of(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


class UnmarkedStrings(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str, str]] = []
        self.in_meta = False

    def flag(self, node: ast.AST | None, kind: str) -> None:
        text = literal_text(node) if node is not None else None
        if text is not None:
            self.found.append((node.lineno, kind, text))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        was, self.in_meta = self.in_meta, node.name == "Meta"
        self.generic_visit(node)
        self.in_meta = was

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.in_meta and any(isinstance(t, ast.Name) and t.id in FIELD_WORDS for t in node.targets):
            self.flag(node.value, "Meta." + next(t.id for t in node.targets if isinstance(t, ast.Name)))
        self.generic_visit(node)

    @staticmethod
    def for_people(content_type: ast.AST | None) -> bool:
        """A response body people read: HTML or plain text (not CSS, JSON, a calendar...)."""
        if content_type is None:
            return True
        kind = content_type.value if isinstance(content_type, ast.Constant) else ""
        return not isinstance(kind, str) or kind.startswith(("text/html", "text/plain"))

    def visit_Call(self, node: ast.Call) -> None:
        name, where = name_of(node.func), dotted(node.func)
        args, keywords = node.args, {k.arg: k.value for k in node.keywords if k.arg}
        if where.startswith("messages.") and name in MESSAGE_LEVELS and len(args) >= 2:
            self.flag(args[1], where)
        elif where == "messages.add_message" and len(args) >= 3:
            self.flag(args[2], where)
        if name == "ValidationError":
            self.flag(args[0] if args else keywords.get("message"), "ValidationError")
        if name.endswith("Field") or name == "ForeignKey":
            for word in FIELD_WORDS & keywords.keys():
                self.flag(keywords[word], f"{name}({word}=)")
            # A model field's first argument is its verbose name, except a relation's (its model).
            if where.startswith("models.") and args and name not in RELATIONS:
                self.flag(args[0], f"{name}(verbose name)")
        if isinstance(keywords.get("error_messages"), ast.Dict):
            for value in keywords["error_messages"].values:
                self.flag(value, "error_messages")
        if name in RESPONSES and args and self.for_people(keywords.get("content_type")):
            self.flag(args[0], name)
        headings = args[0] if name == "writerow" and args else None
        if isinstance(headings, ast.List | ast.Tuple) and all(isinstance(e, ast.Constant) for e in headings.elts):
            for element in headings.elts:
                self.flag(element, "CSV heading")
        if name == "write" and isinstance(node.func, ast.Attribute) and name_of(node.func.value) in WRITERS and args:
            message = args[0]
            if isinstance(message, ast.Call) and dotted(message.func).startswith("self.style.") and message.args:
                message = message.args[0]
            self.flag(message, "command output")
        self.generic_visit(node)


def unmarked(source: str) -> list[tuple[int, str, str]]:
    visitor = UnmarkedStrings()
    visitor.visit(ast.parse(source))
    return visitor.found


def python_files() -> list[Path]:
    files = []
    for app in APPS:
        files.extend(p for p in (ROOT / app).rglob("*.py") if not NOT_CHECKED & set(p.relative_to(ROOT).parts))
    return sorted(files)


def test_the_apps_mark_what_people_read_for_translation():
    offenders = []
    for path in python_files():
        relative = str(path.relative_to(ROOT))
        for line, kind, text in unmarked(path.read_text(encoding="utf-8")):
            if (relative, text) not in ALLOWED:
                offenders.append(f"{relative}:{line}: {kind}: {text!r}")
    if offenders:
        pytest.fail(
            f"{len(offenders)} strings people read are not marked for translation (gettext / gettext_lazy):\n  "
            + "\n  ".join(offenders),
            pytrace=False,
        )


# --- the check itself ------------------------------------------------------------------------------


def test_marked_strings_pass():
    source = """
from django.utils.translation import gettext as _, gettext_lazy
messages.success(request, _("Saved."))
messages.error(request, _("%(name)s is wrong") % {"name": name})
raise ValidationError(_("Enter a date"), code="invalid")
name = forms.CharField(label=gettext_lazy("Name"), help_text=_("Your name"), error_messages={"required": _("Enter it")})
writer.writerow([_("Name"), _("Date")])
writer.writerow([row.name, "2026"])
self.stdout.write(self.style.SUCCESS(_("Done.")))
logger.info("Not for people")
response = HttpResponse(content, content_type="text/csv")
class Meta:
    verbose_name = gettext_lazy("edition")
"""
    assert unmarked(source) == []


def test_unmarked_strings_are_found():
    source = """
messages.success(request, "Saved.")
messages.add_message(request, messages.INFO, f"Hello {name}")
raise forms.ValidationError("Enter a date: %s" % x)
name = forms.CharField(label="Name", help_text="Your {name}".format(name=x), error_messages={"required": "Enter it"})
title = models.CharField("title", max_length=10, verbose_name="Title")
writer.writerow(["Name", "Date"])
self.stdout.write(self.style.SUCCESS("Done."))
self.stderr.write("Oops " + str(x))
return HttpResponse("Nothing here")
return HttpResponse(f":root {{ --brand: {colour}; }}", content_type="text/css")
tags = models.ManyToManyField("commitments.Undertaking", verbose_name=_("Undertakings"))
class Meta:
    verbose_name_plural = "editions"
"""
    assert [(line, kind) for line, kind, _ in unmarked(source)] == [
        (2, "messages.success"),
        (3, "messages.add_message"),
        (4, "ValidationError"),
        (5, "CharField(label=)"),
        (5, "CharField(help_text=)"),
        (5, "error_messages"),
        (6, "CharField(verbose_name=)"),
        (6, "CharField(verbose name)"),
        (7, "CSV heading"),
        (7, "CSV heading"),
        (8, "command output"),
        (9, "command output"),
        (10, "HttpResponse"),
        (14, "Meta.verbose_name_plural"),
    ]
