"""One form field drawn as crispy-forms' Bootstrap 5 pack draws it, written in Python.

``{% bs_field form.x %}`` gives the markup of ``{{ form.x|as_crispy_field }}`` and
``{% bs_field form.x inline_errors=True wrapper_class="col-sm-3" %}`` that of a field
inside ``{% crispy form %}`` (whose errors are ``<span>``s, not ``<p>``s). crispy builds
a field from a dozen small templates, which cost a busy page milliseconds per form; the
pages everyone opens all day (reports, coverage, proposals) draw their fields with this
tag instead. tests/test_bs_fields.py compares both for every kind of field we use.

Radio buttons, multiple checkboxes and file inputs have more markup; for those the tag
hands the field to crispy, so the result is always crispy's.
"""

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _add_classes(field, classes: str) -> None:
    """What crispy's ``crispy_field`` tag does to the widget: its own class name first
    (``select``, ``dateinput``), then the Bootstrap classes."""
    widget = field.field.widget
    class_name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if class_name not in css:
            css += " " + class_name
    else:
        css = class_name
    for cls in classes.split():
        if cls not in css.split():
            css += " " + cls
    widget.attrs["class"] = css


def _errors(field, inline: bool) -> str:
    if not field.errors:
        return ""
    tag = "span" if inline else "p"
    items = "".join(
        format_html(
            '<{} id="error_{}_{}"><strong>{}</strong></{}>', tag, n, field.auto_id, error, tag
        )
        for n, error in enumerate(field.errors, start=1)
    )
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.errors.field_id,
        mark_safe(items),  # noqa: S308 - built with format_html above
    )


def _help_text(field) -> str:
    if not field.help_text:
        return ""
    help_text = mark_safe(field.help_text)  # noqa: S308 - crispy writes it |safe, as Django does
    if field.auto_id:
        return format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, help_text
        )
    return format_html('<div class="form-text">{}</div>', help_text)


def _label_text(field) -> str:
    required = field.field.required
    asterisk = mark_safe('<span class="asteriskField">*</span>') if required else ""
    return format_html("{}{}", field.label, asterisk)


@register.simple_tag
def bs_field(field, wrapper_class: str = "", inline_errors: bool = False) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.FileInput):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    if field.is_hidden:
        return str(field)
    invalid = " is-invalid" if field.errors else ""
    required = " requiredField" if field.field.required else ""
    extra = "".join(f" {c}" for c in (wrapper_class, field.css_classes()) if c)
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(field, "form-check-input" + invalid)
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}</label>{}{}</div></div>',
            field.auto_id,
            extra,
            str(field),
            field.id_for_label,
            required,
            _label_text(field),
            _errors(field, inline_errors),
            _help_text(field),
        )
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(field, base + invalid)
    label = ""
    if field.label:
        label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        label = format_html(
            '<label{} class="form-label{}">{}</label>', label_for, required, _label_text(field)
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        extra,
        label,
        str(field),
        _errors(field, inline_errors),
        _help_text(field),
    )
