"""One form field drawn as crispy-forms' Bootstrap 5 pack draws it, written in Python.

``{% bs_field form.x %}`` gives the markup of ``{{ form.x|as_crispy_field }}`` and
``{% bs_field form.x inline_errors=True wrapper_class="col-sm-3" %}`` that of a field
inside ``{% crispy form %}`` (whose errors are ``<span>``s, not ``<p>``s). crispy builds
a field from a dozen small templates, which cost a busy page milliseconds per form; the
pages everyone opens all day (reports, coverage, proposals) draw their fields with this
tag instead. tests/test_bs_fields.py compares both for every kind of field we use.

Radio buttons are written here too (crispy's ``radio_checkbox_select.html``); multiple
checkboxes, file inputs and multi-widgets have more markup, and for those the tag hands
the field to crispy, so the result is always crispy's.
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


def _option_attrs(attrs: dict) -> str:
    """crispy's ``attrs.html``: ``True`` writes the bare name, ``False`` leaves it out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


def _radios(field, inline_errors: bool) -> str:
    """A radio select: crispy's ``field.html`` with ``radio_checkbox_select.html``."""
    # What crispy's ``optgroups`` filter passes to the widget.
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = field.field.widget.format_value(field.value())
    groups = field.field.widget.optgroups(field.html_name, values, attrs)
    invalid = " is-invalid" if field.errors else ""
    parts = []
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, start=1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "{}</div>",
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                    mark_safe(_option_attrs(option["attrs"])),  # noqa: S308 - escaped above
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    mark_safe(_errors(field, inline_errors) if last else ""),  # noqa: S308 - format_html
                )
            )
    options_html = mark_safe("".join(parts))  # noqa: S308 - built with format_html above
    inner = format_html("<div>{}</div>{}", options_html, mark_safe(_help_text(field)))  # noqa: S308
    if field.label and field.use_fieldset:
        described = getattr(field, "aria_describedby", "")
        inner = format_html(
            '<fieldset{}><legend class="form-label{} fs-6">{}</legend>{}</fieldset>',
            format_html(' aria-describedby="{}"', described) if described else "",
            " requiredField" if field.field.required else "",
            _label_text(field),
            inner,
        )
    elif field.label:
        inner = format_html(
            '<label class="form-label{}">{}</label>{}',
            " requiredField" if field.field.required else "",
            _label_text(field),
            inner,
        )
    css_classes = field.css_classes()
    extra = f" {css_classes}" if css_classes else ""
    return format_html('<div id="div_{}" class="mb-3{}">{}</div>', field.auto_id, extra, inner)


@register.simple_tag
def bs_field(field, wrapper_class: str = "", inline_errors: bool = False) -> str:
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.FileInput | forms.MultiWidget):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    if isinstance(widget, forms.RadioSelect):
        return _radios(field, inline_errors)
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
