"""Hostile values and the hypothesis strategies that fill a form with them.

A submission is drawn field by field: each field keeps what the page showed (or a
sensible value when it is empty), gets a hostile value, is left out, or is sent
twice. Whatever a browser could not send (a forged hidden field or select value, a
missing or repeated field) marks the submission as tampered: the "nothing typed is
lost" check only applies to submissions a person could have made.
"""

from __future__ import annotations

import dataclasses
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from .html import Field, HtmlForm

# --- payloads --------------------------------------------------------------------------------

XSS = [
    '<script>alert("hostile")</script>',
    '<img src=x onerror=alert("hostile")>',
    '"><svg onload=alert("hostile")>',
    "'><script>alert(\"hostile\")</script><'",
    '</textarea><script>alert("hostile")</script>',
    'javascript:alert("hostile")',
]
# Any of these in an HTML response means a payload reached the page unescaped.
UNESCAPED = re.compile(
    r"<script>alert\(|<img src=x onerror=|<svg onload=|"
    r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:alert""",
    re.IGNORECASE,
)

SQL = [
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE hubs_hub; --",
    "1; SELECT pg_sleep(5)",
    "%",
    "_",
    "\\",
    "%' AND '%'='",
    "') OR ('a'='a",
]
FORMAT = ["%(name)s", "%s %d", "{0}", "{}", "{{ 7*7 }}", "{% debug %}", "${7*7}"]
UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u200d\u200c",  # RTL/LTR marks and zero-width joiners
    "e\u0301\u0301\u0301\u0301",  # combining accents
    "Z\u0364\u0311\u0313a\u0308\u0347l\u036e\u0312\u036bo",  # zalgo
    "👩‍👩‍👧‍👦🏳️‍🌈🇳🇱",
    "\U0001f600" * 5,
    "東京 مرحبا שלום Ελληνικά",
    "\ufeffBOM",
    "\x00",
    "nul\x00byte",
    "\x01\x1b[31m\x7f",
    "line\r\nbreak\rcr\nlf",
    "\t tab \t",
    "\uffff\ufffe",
    "＜script＞",
    "İıŞş ß ﬁ",
]
WHITESPACE = ["", " ", "   \n\t ", "\u00a0", "\u3000"]
LONG = ["A" * 10_000, "é" * 10_000, "😀" * 10_000, ("<b>" * 3000)]
NUMBERS = [
    "abc",
    "-1",
    "0",
    "1.5",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "١٢٣",  # Arabic-Indic digits: Python's int() accepts them
    "½",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1" * 400,
]
DATES = [
    "2026-02-30",
    "0000-00-00",
    "99999-01-01",
    "2026-13-01",
    "2026-00-10",
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "31-12-2026",
    "2026-1-1",
    "2026-12-07T10:00",
    "today",
    "-2026-01-01",
]
TIMES = ["25:00", "23:60", "24:00", "-01:00", "9", "09:00:00.000001", "12:00 PM", "12:00:61"]
DATETIMES = [
    "2026-02-30T10:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-12-07T25:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
]
# Forged "older" links: a moment or number at the edge, with the row id our cursors add.
CURSORS = [
    "0001-01-01T00:00:00+14:00,1",
    "9999-12-31T23:59:59-14:00,1",
    "99999999999999999999_1",
    "9999-12-31_1",
    "1_99999999999999999999",
    "999999999999999999-1",
]
EMAILS = ["a@b", "@", "x@example.org<script>", "a" * 300 + "@example.org", "x@-.org", "é@é.nl"]
GENERIC = XSS + SQL + FORMAT + UNICODE + WHITESPACE + LONG + NUMBERS + CURSORS + DATES[:4]

# Text a person could type, but never lone surrogates: they cannot be encoded.
RANDOM_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=40,
)


def _by_kind(kind: str) -> list[str]:
    return {
        "number": NUMBERS,
        "date": DATES,
        "time": TIMES,
        "datetime-local": DATETIMES + DATES,
        "month": ["2026-13", "0000-00", "99999-01", "2026-1", "2026"],
        "email": EMAILS,
    }.get(kind, [])


def hostile_text(kind: str = "text") -> st.SearchStrategy[str]:
    specific = _by_kind(kind)
    options = [st.sampled_from(GENERIC), RANDOM_TEXT]
    if specific:
        options.insert(0, st.sampled_from(specific))
    return st.one_of(*options)


# --- sensible values -------------------------------------------------------------------------

# The frozen "today" of the tests is Monday 23 November 2026; these lie in the weeks after.
SENSIBLE_DATE = "2026-12-14"
SENSIBLE_DATETIME = "2026-12-10T09:00"


def sensible(field: Field) -> str:
    """A valid-looking value for an empty field, so that a create form can succeed."""
    name = field.name.lower()
    kind = field.kind
    if kind == "date":
        return SENSIBLE_DATE
    if kind == "datetime-local":
        return SENSIBLE_DATETIME
    if kind == "month":
        return "2026-12"
    if kind == "time":
        return "12:30" if re.search(r"end|eind|tot|close|sluit", name) else "09:00"
    if kind == "number":
        low = field.attrs.get("min")
        return low if low not in (None, "") else "1"
    if kind == "email" or "email" in name:
        return "hostile@example.org"
    if kind == "tel" or "phone" in name or "telefoon" in name:
        return "0612345678"
    if kind == "url":
        return "https://example.org/"
    if "postcode" in name:
        return "3071 SH"
    if "latitude" in name:
        return "51.9"
    if "longitude" in name:
        return "4.5"
    if "slug" in name:
        return "hostile-input"
    if kind == "password":
        return "Kn1p-perk-Zout!"
    return "Hostile input test"


# --- drawing a submission --------------------------------------------------------------------

CSRF = "csrfmiddlewaretoken"


@dataclasses.dataclass
class Submission:
    pairs: list[tuple[str, object]]  # (name, str or uploaded file), in form order
    tampered: bool  # something a browser could not send
    typed: dict[str, str]  # typed fields as sent (last value wins), for the re-render check
    htmx: bool = False

    def as_data(self) -> dict[str, list]:
        data: dict[str, list] = {}
        for name, value in self.pairs:
            data.setdefault(name, []).append(value)
        return data

    def text_values(self) -> list[str]:
        return [v for _n, v in self.pairs if isinstance(v, str)]


def _upload(kind: str) -> SimpleUploadedFile:
    files = {
        "pdf": ("petitie.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
        "script": ('<script>alert("hostile")</script>.pdf', b"%PDF-1.7\n", "application/pdf"),
        "exe": ("virus.exe", b"MZ\x90\x00", "application/octet-stream"),
        "fake": ("foto.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
        "empty": ("leeg.csv", b"", "text/csv"),
        "csv": (
            "gebruikers.csv",
            b"email;first_name;last_name;roles\n"
            b'x@example.org;<script>alert("hostile")</script>;\x00;host\n',
            "text/csv",
        ),
        "binary": ("data.csv", bytes(range(256)) * 40, "text/csv"),
        "unicode": ("ünï\u202ecode.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    }
    name, content, content_type = files[kind]
    return SimpleUploadedFile(name, content, content_type=content_type)


FILE_KINDS = ["pdf", "none", "script", "exe", "fake", "empty", "csv", "binary", "unicode"]


def _radio_groups(fields: list[Field]) -> dict[str, list[Field]]:
    groups: dict[str, list[Field]] = {}
    for field in fields:
        if field.kind == "radio":
            groups.setdefault(field.name, []).append(field)
    return groups


@st.composite
def submissions(draw, form: HtmlForm) -> Submission:
    """A hostile submission of ``form``: half of them (``forge`` False) as a person could
    send them in a browser, the other half forged as well."""
    pairs: list[tuple[str, object]] = []
    typed: dict[str, str] = {}
    tampered = False
    forge = draw(st.booleans(), label="forge")

    def mode_of(person: list[str], forged: list[str], label: str) -> str:
        return draw(st.sampled_from(person + forged if forge else person), label=label)

    radios_done: set[str] = set()
    radio_groups = _radio_groups(form.fields)

    for field in form.fields:
        label = f"{field.kind} {field.name}"
        if field.name == CSRF:
            pairs.append((field.name, field.value))
            continue
        if field.kind == "radio":
            if field.name in radios_done:
                continue
            radios_done.add(field.name)
            group = radio_groups[field.name]
            choices = [g.checked_value for g in group]
            current = [g.checked_value for g in group if g.checked]
            mode = mode_of(["keep", "choose"], ["none", "hostile"], label)
            if mode == "keep":
                pairs += [(field.name, v) for v in current]
            elif mode == "choose":
                pairs.append((field.name, draw(st.sampled_from(choices), label=label)))
            elif mode == "hostile":
                pairs.append((field.name, draw(hostile_text(), label=label)))
                tampered = True
            elif current:  # a browser cannot untick a radio group
                tampered = True
            continue
        if field.kind == "file":
            kind = draw(st.sampled_from(FILE_KINDS), label=label)
            if kind != "none":
                pairs.append((field.name, _upload(kind)))
            continue
        if field.kind == "checkbox":
            mode = mode_of(["keep", "toggle"], ["hostile", "repeat"], label)
            value = field.checked_value
            if mode == "keep":
                pairs += [(field.name, v) for v in field.browser_values()]
            elif mode == "toggle":
                if not field.checked:
                    pairs.append((field.name, value))
            elif mode == "hostile":
                pairs.append((field.name, draw(hostile_text(), label=label)))
                tampered = True
            else:
                pairs += [(field.name, value), (field.name, value)]
                tampered = True
            continue
        if field.kind == "select":
            mode = mode_of(["keep", "option"], ["hostile", "drop", "repeat"], label)
            if mode == "keep" or (mode == "option" and not field.options):
                pairs += [(field.name, v) for v in field.browser_values()]
            elif mode == "option":
                if field.multiple:
                    chosen = draw(
                        st.lists(st.sampled_from(field.option_values), unique=True), label=label
                    )
                else:
                    chosen = [draw(st.sampled_from(field.option_values), label=label)]
                pairs += [(field.name, v) for v in chosen]
            elif mode == "hostile":
                pairs.append((field.name, draw(hostile_text(), label=label)))
                tampered = True
            elif mode == "drop":
                tampered = True
            else:
                values = field.browser_values() or field.option_values[:1]
                pairs += [(field.name, v) for v in values * 2]
                pairs.append((field.name, draw(hostile_text(), label=label)))
                tampered = True
            continue
        if field.kind == "hidden":
            mode = mode_of(["keep"], ["keep", "hostile", "drop"], label)
            if mode == "keep":
                pairs.append((field.name, field.value))
            elif mode == "hostile":
                pairs.append((field.name, draw(hostile_text(), label=label)))
                tampered = True
            else:
                tampered = True
            continue
        # Everything a person types into (and unknown input types).
        start = field.value or sensible(field)
        mode = mode_of(["keep", "hostile", "hostile"], ["drop", "repeat"], label)
        if mode == "keep":
            value = start
        elif mode == "hostile":
            value = draw(hostile_text(field.kind), label=label)
        elif mode == "drop":
            tampered = True
            continue
        else:
            value = draw(hostile_text(field.kind), label=label)
            pairs.append((field.name, start))
            tampered = True
        pairs.append((field.name, value))
        if field.is_typed and field.kind != "password":
            typed[field.name] = value

    if form.submitters:
        submitter = draw(st.sampled_from(form.submitters), label="submit button")
        if submitter.name:
            pairs.append((submitter.name, submitter.value))
    htmx = form.htmx_target is not None and draw(st.booleans(), label="htmx")
    return Submission(pairs=pairs, tampered=tampered, typed=typed, htmx=htmx)


def probe(form: HtmlForm, avoid: frozenset[str] = frozenset()) -> Submission:
    """The form as a person would fill it in, with a script payload in every free-text
    field (except ``avoid``, the fields that refused it last time)."""
    pairs: list[tuple[str, object]] = []
    typed: dict[str, str] = {}
    n = 0
    seen_radio: set[str] = set()
    for field in form.fields:
        if field.kind == "file":
            pairs.append((field.name, _upload("script")))
            continue
        if field.kind == "radio":
            if field.name in seen_radio:
                continue
            seen_radio.add(field.name)
            group = [f for f in form.fields if f.kind == "radio" and f.name == field.name]
            chosen = [f for f in group if f.checked] or group[:1]
            pairs.append((field.name, chosen[0].checked_value))
            continue
        if field.kind == "checkbox":
            # Ticked: consent boxes and "at least one role/hub" lists want one.
            pairs.append((field.name, field.checked_value))
            continue
        if field.kind in ("select", "hidden"):
            values = field.browser_values()
            if field.kind == "select" and not any(values) and field.option_values:
                values = [next((v for v in field.option_values if v), "")]
            pairs += [(field.name, v) for v in values]
            continue
        value = field.value or sensible(field)
        if field.kind in ("text", "search", "textarea") and field.name not in avoid:
            value = XSS[n % 3] + " " + value
            n += 1
        pairs.append((field.name, value))
        typed[field.name] = value
    if form.submitters and form.submitters[0].name:
        pairs.append((form.submitters[0].name, form.submitters[0].value))
    return Submission(pairs=pairs, tampered=False, typed=typed)


# One value in every field at once: cheap, and where most crashes hide (a NUL byte that
# PostgreSQL refuses, a number too big for its column, a date that does not exist), and
# a validation error on every typed field, whose values must all come back.
BROADSIDES = {
    "nul": "nul\x00byte",
    "long": "A" * 10_000,
    "huge": "99999999999999999999",
    "date": "2026-02-30",
    "script": XSS[0],
}


def broadside(form: HtmlForm, value: str, *, forged: bool) -> Submission:
    """``value`` in every field a person types into, the rest as the page shows it; with
    ``forged`` also in every hidden field, select, radio and checkbox."""
    pairs: list[tuple[str, object]] = []
    typed: dict[str, str] = {}
    for field in form.fields:
        if field.name == CSRF or field.kind == "file":
            pairs += [(field.name, field.value)] if field.name == CSRF else []
        elif field.is_typed:
            pairs.append((field.name, value))
            if field.kind != "password":
                typed[field.name] = value
        elif forged:
            pairs.append((field.name, value))
        else:
            pairs += [(field.name, v) for v in field.browser_values()]
    if form.submitters and form.submitters[0].name:
        pairs.append((form.submitters[0].name, form.submitters[0].value))
    return Submission(pairs=pairs, tampered=forged, typed={} if forged else typed)
