"""The project's form renderer (settings.FORM_RENDERER): plain widgets drawn in Python.

Django draws every widget from a template: an ``<input>`` is ``input.html`` plus
``attrs.html``, a ``<select>`` one ``select_option.html`` per option. That is about
0.2 ms a widget, and a page has up to seventy of them (the adopted grid of a
proposal alone has 63) and filters of fifty options (every hub, every topic).
``FastWidgetRenderer`` writes the same HTML for those few templates directly and
leaves every other template (forms, crispy-forms, allauth) to Django.
``tests/test_rendering.py`` checks, widget by widget, that the output is byte for
byte what Django's templates make, so a Django upgrade that changes them fails there
first.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"

# Django's templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        *("text", "number", "email", "url", "password", "hidden", "search", "tel", "color"),
        *("date", "time", "datetime", "checkbox"),
    )
)
_OPTION = f"{_WIDGETS}select_option.html"


def _text(value) -> str:
    """``{{ value }}``: localized, made a string and escaped unless marked safe."""
    value = localize(value)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}`` (a filter that keeps safe strings safe)."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (ValueError, TypeError):
        text = ""
    return _text(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """``attrs.html``: ``True`` writes the bare name, ``False`` leaves the attribute out."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # a widget with its own option template: Django draws it
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


_DRAW = {
    **dict.fromkeys(_INPUTS, _input),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
}


class FastWidgetRenderer(DjangoTemplates):
    """Django's own renderer, with the plain widgets drawn in Python (see above)."""

    def render(self, template_name, context, request=None):
        draw = _DRAW.get(template_name)
        html = draw(context["widget"]) if draw else None
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()  # as BaseRenderer.render does
