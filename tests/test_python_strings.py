"""No app hands people an English string that is not marked for translation.

An AST walk over the apps' Python (not tests/, migrations/ or benchmarks/) finds string literals with
letters in them (plain, f-strings, "…" % x and "…".format(x)) passed where people read them:
messages.<level>(request, "…"), ValidationError("…"), a form or model field's label=, help_text=,
verbose_name= and error_messages= values, a model's Meta verbose_name(_plural), HttpResponse("…"),
CSV header rows (writer.writerow([...]) of literals) and a management command's
self.stdout.write("…") or self.style.SUCCESS("…"). Marked strings (gettext, gettext_lazy as _,
ngettext, pgettext, format_lazy) pass: only a bare literal in those places fails.

It also fails on a string translated once, when the module is imported, in whatever language is
active then (English), where it should be translated each time it is shown: outside a function,
a gettext() call, or a lazy string made a plain one (gettext_lazy("…") % {...}, .format(),
.capitalize() and other str methods, on it or on a field's verbose_name or help_text).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

APPS = [
    "actionplans",
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


TRANSLATE_NOW = {"gettext", "ngettext", "pgettext", "npgettext"}
TRANSLATE_LATER = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy", "npgettext_lazy"}
STR_METHODS = {"capitalize", "lower", "upper", "title", "strip", "format", "replace", "casefold", "swapcase"}
LAZY_ATTRIBUTES = {"verbose_name", "verbose_name_plural", "help_text", "label"}


def translation_names(tree: ast.AST) -> dict[str, str]:
    """The module's names for Django's translation functions: {"_": "gettext_lazy", ...}."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
    return names


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


def chain(node: ast.AST) -> list[str]:
    """The names along ``Case._meta.get_field("x").verbose_name``: Case, _meta, get_field, verbose_name."""
    names = []
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            node = node.func
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


class UnmarkedStrings(ast.NodeVisitor):
    def __init__(self, translations: dict[str, str] | None = None) -> None:
        self.found: list[tuple[int, str, str]] = []
        self.in_meta = False
        self.translations = translations or {}
        self.in_function = 0

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)  # defaults are made when the module is imported
        self.in_function += 1
        for child in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(child)
        self.in_function -= 1
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def translation(self, node: ast.AST) -> str:
        """Which translation function ``node`` calls ("" if none)."""
        if isinstance(node, ast.Call):
            return self.translations.get(name_of(node.func), "")
        return ""

    def lazy(self, node: ast.AST) -> bool:
        return self.translation(node) in TRANSLATE_LATER or (
            isinstance(node, ast.Attribute) and node.attr in LAZY_ATTRIBUTES and "_meta" in chain(node)
        )

    def at_import(self, node: ast.AST) -> None:
        """A string translated when the module is imported, not when it is shown."""
        if self.in_function:
            return
        text = None
        if isinstance(node, ast.Call) and self.translation(node) in TRANSLATE_NOW:
            text = f"{self.translation(node)}() outside a function"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and self.lazy(node.left):
            if self.translation(node.left) not in {"ngettext_lazy", "npgettext_lazy"}:  # these % lazily
                text = "a lazy string % values"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STR_METHODS
            and self.lazy(node.func.value)
        ):
            text = f"a lazy string .{node.func.attr}()"
        if text:
            self.found.append((node.lineno, "translated at import", text))

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.at_import(node)
        self.generic_visit(node)

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
        self.at_import(node)
        name, where = name_of(node.func), dotted(node.func)
        args, keywords = node.args, {k.arg: k.value for k in node.keywords if k.arg}
        if where.startswith("messages.") and name in MESSAGE_LEVELS and len(args) >= 2:
            self.flag(args[1], where)
        elif where == "messages.add_message" and len(args) >= 3:
            self.flag(args[2], where)
        if name == "ValidationError":
            self.flag(args[0] if args else keywords.get("message"), "ValidationError")
        if name.endswith("Field") or name == "ForeignKey":
            for keyword in node.keywords:
                if keyword.arg in FIELD_WORDS:
                    self.flag(keyword.value, f"{name}({keyword.arg}=)")
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
    tree = ast.parse(source)
    visitor = UnmarkedStrings(translation_names(tree))
    visitor.visit(tree)
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
def view(request):
  messages.success(request, _("Saved."))
  messages.error(request, _("%(name)s is wrong") % {"name": name})
  raise ValidationError(_("Enter a date"), code="invalid")
  name = forms.CharField(label=gettext_lazy("Name"), help_text=_("Your name"), error_messages={"a": _("Enter it")})
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
    translated_at_import = """
from django.utils.translation import gettext, gettext_lazy as _
TITLE = gettext("Compacts")
class Form:
    size = forms.FileField(help_text=_("Up to %(size)s KB") % {"size": 3})
    name = forms.BooleanField(label=Case._meta.get_field("name").verbose_name.capitalize())
    other = forms.CharField(label=_("{n} things").format(n=3))
def ok():
    return gettext("Compacts"), _("Up to %(size)s KB") % {"size": 3}
"""
    assert [(line, text) for line, _kind, text in unmarked(translated_at_import)] == [
        (3, "gettext() outside a function"),
        (5, "a lazy string % values"),
        (6, "a lazy string .capitalize()"),
        (7, "a lazy string .format()"),
    ]
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
