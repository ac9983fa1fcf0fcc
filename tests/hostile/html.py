"""Reads the forms and links of a page the way a browser would submit them.

Standard library only (``html.parser``). Handles what our templates use: fields
outside their form (``form="id"``), submit buttons with a name/value or their own
``formaction``, selects with and without a selected option, checkbox groups, radio
groups, textareas and ``hx-get``/``hx-post`` forms. Disabled fields are not sent, as
in a browser.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

# Input types a person types into. Their value must survive a validation error.
TYPED_INPUTS = frozenset(
    {
        "text",
        "search",
        "email",
        "tel",
        "url",
        "number",
        "date",
        "time",
        "datetime-local",
        "month",
        "week",
        "password",
    }
)
BUTTON_INPUTS = frozenset({"submit", "image"})
IGNORED_INPUTS = frozenset({"button", "reset"})


@dataclasses.dataclass
class Field:
    """One form control. ``kind`` is the input type, or "textarea"/"select"."""

    kind: str
    name: str
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = dataclasses.field(default_factory=list)
    attrs: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def is_typed(self) -> bool:
        return self.kind == "textarea" or self.kind in TYPED_INPUTS

    @property
    def checked_value(self) -> str:
        """What a ticked checkbox or radio sends: its value, "on" if it has none."""
        return self.attrs.get("value", "on")

    @property
    def option_values(self) -> list[str]:
        return [value for value, _selected in self.options]

    def browser_values(self) -> list[str]:
        """What a browser sends for this control as the page shows it."""
        if self.kind in ("checkbox", "radio"):
            return [self.checked_value] if self.checked else []
        if self.kind == "select":
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple and self.options:
                chosen = [self.options[0][0]]  # a single select shows its first option
            return chosen if self.multiple else chosen[-1:]
        return [self.value]


@dataclasses.dataclass
class Submitter:
    name: str
    value: str
    formaction: str | None
    formmethod: str | None


@dataclasses.dataclass
class HtmlForm:
    method: str  # "get" or "post"
    action: str | None  # None: the page's own address
    enctype: str
    attrs: dict[str, str]
    fields: list[Field] = dataclasses.field(default_factory=list)
    submitters: list[Submitter] = dataclasses.field(default_factory=list)

    @property
    def is_multipart(self) -> bool:
        return self.enctype == "multipart/form-data"

    @property
    def htmx_target(self) -> str | None:
        """The id htmx sends as HX-Target when it submits this form, if it does."""
        if not (self.attrs.get("hx-post") or self.attrs.get("hx-get")):
            return None
        return self.attrs.get("hx-target", "").lstrip("#") or ""

    def field_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)

    def variants(self) -> list[HtmlForm]:
        """One form per address it can be sent to: a submit button with its own
        ``formaction`` makes the same fields go elsewhere (the desk's "No answer
        found" button, the proposal's "Publish and decide")."""
        if not self.submitters:
            return [self]
        groups: dict[tuple[str | None, str], list[Submitter]] = {}
        for submitter in self.submitters:
            action = submitter.formaction if submitter.formaction is not None else self.action
            method = (submitter.formmethod or self.method).lower()
            groups.setdefault((action, method), []).append(submitter)
        return [
            dataclasses.replace(self, action=action, method=method, submitters=submitters)
            for (action, method), submitters in groups.items()
        ]


@dataclasses.dataclass
class Page:
    forms: list[HtmlForm]
    links: list[str]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form_ids: dict[str, int] = {}
        self.links: list[str] = []
        # (owner: form index or form id to resolve later, control)
        self.controls: list[tuple[int | str | None, Field | Submitter]] = []
        self.current_form: int | None = None
        self.select: Field | None = None
        self.option: dict | None = None
        self.textarea: Field | None = None

    def _owner(self, attrs: dict) -> int | str | None:
        if "form" in attrs:
            return attrs["form"]
        return self.current_form

    def handle_starttag(self, tag, attr_list):
        attrs = {name: value if value is not None else "" for name, value in attr_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(
                HtmlForm(
                    method=attrs.get("method", "get").lower() or "get",
                    action=attrs.get("action") or None,
                    enctype=attrs.get("enctype", "application/x-www-form-urlencoded"),
                    attrs=attrs,
                )
            )
            self.current_form = len(self.forms) - 1
            if attrs.get("id"):
                self.form_ids[attrs["id"]] = self.current_form
        elif tag == "input":
            kind = attrs.get("type", "text").lower() or "text"
            if "disabled" in attrs or kind in IGNORED_INPUTS:
                return
            if kind in BUTTON_INPUTS:
                self._submitter(attrs)
            elif attrs.get("name"):
                field = Field(
                    kind=kind,
                    name=attrs["name"],
                    value=attrs.get("value", ""),
                    checked="checked" in attrs,
                    attrs=attrs,
                )
                self.controls.append((self._owner(attrs), field))
        elif tag == "button":
            if "disabled" not in attrs and attrs.get("type", "submit").lower() == "submit":
                self._submitter(attrs)
        elif tag == "select":
            if "disabled" in attrs or not attrs.get("name"):
                return
            self.select = Field(
                kind="select", name=attrs["name"], multiple="multiple" in attrs, attrs=attrs
            )
            self.controls.append((self._owner(attrs), self.select))
        elif tag == "option" and self.select is not None:
            self.option = {"attrs": attrs, "text": ""}
        elif tag == "textarea":
            if "disabled" in attrs or not attrs.get("name"):
                return
            self.textarea = Field(kind="textarea", name=attrs["name"], attrs=attrs)
            self.controls.append((self._owner(attrs), self.textarea))

    def _submitter(self, attrs: dict) -> None:
        submitter = Submitter(
            name=attrs.get("name", ""),
            value=attrs.get("value", ""),
            formaction=attrs.get("formaction"),
            formmethod=attrs.get("formmethod"),
        )
        self.controls.append((self._owner(attrs), submitter))

    def _close_option(self) -> None:
        if self.option is None or self.select is None:
            return
        attrs = self.option["attrs"]
        if "disabled" not in attrs:
            value = attrs["value"] if "value" in attrs else " ".join(self.option["text"].split())
            self.select.options.append((value, "selected" in attrs))
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.current_form = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that follows the opening tag.
            if self.textarea.value.startswith("\r\n"):
                self.textarea.value = self.textarea.value[2:]
            elif self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        elif self.option is not None:
            self.option["text"] += data

    def result(self) -> Page:
        for owner, control in self.controls:
            index = self.form_ids.get(owner) if isinstance(owner, str) else owner
            if index is None:
                continue  # a control outside any form is never sent
            form = self.forms[index]
            if isinstance(control, Submitter):
                form.submitters.append(control)
            else:
                form.fields.append(control)
        return Page(forms=self.forms, links=self.links)


def parse(html: str) -> Page:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.result()
