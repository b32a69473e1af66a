"""What a form asks for, read from its HTML, and how to post hostile answers to it.

``spec_from_html`` reads the POST forms of a page (or a form's own HTML) with lxml: every input,
select and textarea, with the options offered. Day/month/year boxes (``name_0``, ``name_1``,
``name_2``) are grouped so that whole dates can be drawn together.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import lxml.html
from django.core.files.uploadedfile import SimpleUploadedFile

SKIPPED = {"csrfmiddlewaretoken"}


@dataclass
class Field:
    name: str
    kind: str  # text, radio, select, multi, checkbox, file
    options: list[str] = field(default_factory=list)


@dataclass
class Spec:
    fields: list[Field]
    date_groups: list[str]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields] + [f"{g}_{i}" for g in self.date_groups for i in range(3)]


def _forms_for(document, path: str | None):
    forms = []
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = form.get("action")
        if path is not None and action and urlsplit(action).path not in ("", path):
            continue  # another page's form, like "Sign out" in the header
        forms.append(form)
    return forms


def spec_from_html(html: str, path: str | None = None) -> Spec:
    document = lxml.html.fromstring(html or "<div></div>")
    found: dict[str, Field] = {}
    containers = _forms_for(document, path) if path is not None else [document]
    for container in containers:
        for element in container.iter("input", "select", "textarea"):
            name = element.get("name")
            if not name or name in SKIPPED:
                continue
            tag = element.tag
            kind_attr = (element.get("type") or "text").lower()
            if tag == "select":
                kind = "multi" if element.get("multiple") is not None else "select"
                options = [o.get("value", o.text_content()) for o in element.iter("option")]
            elif tag == "textarea":
                kind, options = "text", []
            elif kind_attr in ("radio", "checkbox"):
                kind, options = kind_attr, [element.get("value", "on")]
            elif kind_attr == "file":
                kind, options = "file", []
            elif kind_attr in ("submit", "button", "image", "reset"):
                kind, options = "select", [element.get("value", "")]
            else:
                kind, options = "text", []
            if name in found:
                found[name].options.extend(o for o in options if o not in found[name].options)
            else:
                found[name] = Field(name, kind, list(options))
    groups = sorted(
        {m.group(1) for n in found if (m := re.fullmatch(r"(.+)_([012])", n))}
        & {n[:-2] for n in found if n.endswith("_0")}
    )
    fields = [f for n, f in found.items() if not any(n in (f"{g}_0", f"{g}_1", f"{g}_2") for g in groups)]
    return Spec(fields=fields, date_groups=groups)


def _encodable(text: str) -> str:
    """The text with lone surrogates replaced: for multipart bodies, which the test client encodes itself."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _raw(text: str) -> bytes:
    # Lone surrogates become the invalid UTF-8 bytes a careless client would send.
    return text.encode("utf-8", "surrogatepass")


def post(client, url: str, pairs: list[tuple[str, object]], *, multipart: bool = False):
    """POST the pairs: multipart when a file is among them (or asked for), urlencoded bytes otherwise."""
    if multipart or any(isinstance(value, SimpleUploadedFile) for _key, value in pairs):
        data: dict[str, list] = {}
        for key, value in pairs:
            if not isinstance(value, SimpleUploadedFile):
                value = _encodable(value)
            data.setdefault(_encodable(key), []).append(value)
        return client.post(url, data)
    body = urlencode([(_raw(key), _raw(value)) for key, value in pairs])
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def query_dicts(pairs: list[tuple[str, object]]):
    """The pairs as a bound form's ``data`` and ``files``, as Django would have parsed them."""
    from django.http import QueryDict
    from django.utils.datastructures import MultiValueDict

    data, files = QueryDict(mutable=True), MultiValueDict()
    for key, value in pairs:
        key = _encodable(key)
        if isinstance(value, SimpleUploadedFile):
            files.appendlist(key, value)
        else:
            data.appendlist(key, _encodable(value))
    return data, files
