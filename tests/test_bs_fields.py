"""{% bs_field %} (hubs/templatetags/bs_fields.py) draws a field as crispy-forms'
Bootstrap 5 pack does: byte for byte, apart from whitespace between tags, for every
kind of field, with and without errors, help text or a required mark."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from reports.period import PeriodForm
from wijkhubs.widgets import DateInput


class EveryKind(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As on the <em>passport</em>")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    count = forms.IntegerField(required=False, min_value=1)
    day = forms.DateField(required=False, widget=DateInput())
    email = forms.EmailField(required=False)
    choice = forms.ChoiceField(choices=[("", "–"), ("a", "A & B")], required=False)
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    agree = forms.BooleanField(label="I agree", help_text="Needed")
    optional_flag = forms.BooleanField(required=False)
    radio = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "One")], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)
    styled = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "w-50"}))


def _squash(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r"\s+", " ", html)
    return html.replace(' "', '"').replace(" >", ">").strip()


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def _both(form, name):
    crispy = _render("{% load crispy_forms_tags %}{{ field|as_crispy_field }}", field=form[name])
    ours = _render("{% load bs_fields %}{% bs_field field %}", field=form[name])
    return crispy, ours


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", list(EveryKind.base_fields))
def test_every_kind_of_field_is_drawn_as_crispy_draws_it(name, bound):
    wrong = {"count": "0", "email": "not-an-address", "choice": "zz", "radio": "9"}
    crispy, ours = _both(EveryKind(data=wrong if bound else None), name)
    assert _squash(ours) == _squash(crispy)


def test_errors_inside_a_crispy_layout_are_spans():
    form = PeriodForm(data={"periode": "", "van": "2026-13-01", "tot": ""})
    assert not form.is_valid()
    crispy_layout = _render("{% load crispy_forms_tags %}{% crispy form %}", form=form)
    ours = _render(
        '{% load bs_fields %}{% bs_field form.van inline_errors=True wrapper_class="x" %}',
        form=PeriodForm(data={"periode": "", "van": "2026-13-01", "tot": ""}),
    )
    assert '<span id="error_1_id_van"><strong>' in ours
    assert 'class="mb-3 x"' in ours
    start = _squash(crispy_layout).index('<div id="div_id_van"')
    assert _squash(crispy_layout)[start:].startswith(_squash(ours).replace(" x", ""))


def test_labels_and_errors_are_escaped_and_translated():
    with translation.override("nl"):
        form = EveryKind(data={"count": "0"})
        form.is_valid()
        html = _render("{% load bs_fields %}{% bs_field f %}", f=form["count"])
        name = _render("{% load bs_fields %}{% bs_field f %}", f=form["name"])
    assert "Zorg ervoor dat deze waarde minstens 1 is." in html
    assert 'aria-invalid="true"' in html
    assert "Name &lt;b&gt;" in name
    assert "As on the <em>passport</em>" in name  # help text is ours, written as HTML
