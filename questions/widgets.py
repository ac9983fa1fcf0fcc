"""Widgets of the questions app."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class Select(forms.Select):
    """A ``<select>`` with the same HTML as Django's ``Select``, drawn in Python.

    Django's select template includes a template for every option (and one for its
    attributes). The list pages' filters offer every hub and every topic, some fifty
    each, and drawing those options took longer than the rest of the page. Attributes
    are written as Django writes them (True: the bare name, False: left out), except
    that an attribute set to None is left out here rather than written as "None".
    Its name is Django's too: crispy-forms gives a widget its lowercased class name as
    a CSS class ("select").
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                ((opt["value"], flatatt(opt["attrs"]), opt["label"]) for opt in options),
            )
            if group_name:
                html = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, html)
            groups.append(html)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # each part is escaped by format_html
        )
