"""questions.widgets.Select draws what Django's Select draws, only faster."""

import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from questions import widgets

CHOICES = [("", "— all —"), ("a", "Alpha & co"), (1, "One"), ("<b>", '"Quoted"')]
GROUPED = [
    ("", "All topics"),
    ("Wonen", [(1, "Wonen in general"), (2, "Huur")]),
    ("Afval", [(3, "Afval in general")]),
]


def _both(choices, value, attrs=None, **widget_attrs):
    ours = widgets.Select(attrs=widget_attrs, choices=choices)
    django = forms.Select(attrs=widget_attrs, choices=choices)
    return ours.render("field", value, attrs), django.render("field", value, attrs)


@pytest.mark.parametrize("value", [None, "", "a", 1, "1", "<b>", "missing"])
def test_the_options_and_the_chosen_one_are_djangos(value):
    assertHTMLEqual(*_both(CHOICES, value, {"id": "id_field"}, **{"class": "form-select"}))


@pytest.mark.parametrize("value", [None, 2, "3"])
def test_grouped_options_are_djangos(value):
    assertHTMLEqual(*_both(GROUPED, value))


def test_attributes_are_djangos():
    attrs = {"id": "id_field", "required": True, "disabled": False, "aria-invalid": "true"}
    assertHTMLEqual(*_both(CHOICES, "a", attrs, **{"data-x": 'a"b'}))


def test_a_form_field_draws_the_same_with_it():
    class Both(forms.Form):
        ours = forms.ChoiceField(choices=CHOICES, widget=widgets.Select)
        django = forms.ChoiceField(choices=CHOICES)

    form = Both({"ours": "a", "django": "a"})
    ours, django = str(form["ours"]), str(form["django"])
    assertHTMLEqual(ours.replace("ours", "x"), django.replace("django", "x"))
