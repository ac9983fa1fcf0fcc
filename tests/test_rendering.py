"""Pages are drawn quickly without drawing anything else: the project's widget
renderer (wijkhubs/rendering.py, settings.FORM_RENDERER) writes what Django's
templates write, and the adopted grid of a proposal's answer form
(proposals/views/workflow.py) comes from the cache only while it would look the same."""

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hubs.constants import Dagdeel
from proposals.constants import Status
from proposals.forms import ProposalFilterForm, ProposalForm
from proposals.forms_workflow import (
    AdoptedGridForm,
    AnswerForm,
    MessageForm,
    PublicationForm,
    TransitionForm,
)
from proposals.views import workflow
from tests.factories import HubFactory, make_proposal
from wijkhubs import rendering
from wijkhubs.widgets import DateInput, TimeInput

DJANGO = DjangoTemplates()
WIDGET_RENDERER = rendering.FastWidgetRenderer()
TODAY = dt.date(2026, 11, 4)

ATTRS = {
    "class": "form-control is-invalid",
    "required": True,
    "disabled": False,
    "maxlength": 300,
    "aria-describedby": "id_x_helptext id_x_error",
    "data-note": 'say "hi" & <wave>',
    "data-safe": mark_safe("<b>"),
    "data-none": None,
}
TEXTS = [None, "", "gewoon", "a<b> & \"c\" 'd'", mark_safe("<i>veilig</i>"), 0, 12]


def _same(widget, value, attrs=None):
    context = widget.get_context("veld", value, attrs)
    fast = WIDGET_RENDERER.render(widget.template_name, context)
    assert fast == DJANGO.render(widget.template_name, context)
    return fast


@pytest.mark.parametrize("value", TEXTS)
@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.HiddenInput(),
        forms.NumberInput(),
        forms.EmailInput(),
        DateInput(),
        TimeInput(attrs={"class": "form-control form-control-sm grid-input"}),
        forms.Textarea(attrs={"rows": 4}),
    ],
    ids=lambda w: type(w).__name__,
)
def test_inputs_and_textareas_are_drawn_as_django_draws_them(widget, value):
    _same(widget, value)
    _same(widget, value, ATTRS)


def test_dates_times_and_multiline_text_are_drawn_as_django_draws_them():
    _same(DateInput(), dt.date(2027, 3, 1))
    assert 'value="09:30"' in _same(TimeInput(), dt.time(9, 30))
    _same(TimeInput(), "9:3x")  # typed wrongly, shown as typed
    _same(forms.Textarea(), "\nEerste regel\n<tweede> & laatste\n")


@pytest.mark.parametrize("value", [True, False, None, "on", ""])
def test_checkboxes_are_drawn_as_django_draws_them(value):
    html = _same(forms.CheckboxInput(attrs={"class": "form-check-input"}), value)
    assert ("checked" in html) is (value in (True, "on"))


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("value", [None, "", "submitted", ["b", 2], "onbekend"])
def test_selects_are_drawn_as_django_draws_them(language, value):
    choices = [("", gettext_lazy("All statuses")), *Status.choices, (2, "Twee & <drie>")]
    grouped = [("Groep <1>", [("a", "A"), ("b", 'B "b"')]), ("c", "C")]
    with translation.override(language):
        for widget in (
            forms.Select(choices=choices),
            forms.Select(choices=grouped, attrs=ATTRS),
            forms.SelectMultiple(choices=grouped),
        ):
            _same(widget, value)


@pytest.mark.parametrize("template_name", sorted(rendering._INPUTS))
def test_every_input_template_drawn_fast_is_drawn_as_django_draws_it(template_name):
    # Also those the proposal forms do not use yet (url, password, search, ...).
    for value in TEXTS:
        widget = {"name": "veld", "type": "x", "value": value, "attrs": ATTRS}
        context = {"widget": {**widget, "template_name": template_name}}
        fast = WIDGET_RENDERER.render(template_name, context)
        assert fast == DJANGO.render(template_name, context)


def test_other_widgets_are_left_to_django():
    # RadioSelect has its own templates: the renderer passes them on unchanged.
    html = _same(forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), "a")
    assert 'type="radio"' in html


def _forms_of_the_pages(proposal):
    hubs = [HubFactory.build(name="Delfshaven & <Schiemond>", slug="delfshaven")]
    grid = {"adopted-d0_ochtend_open": "on", "adopted-d0_ochtend_start": "9:xx"}
    return [
        ProposalFilterForm(hubs=hubs, statuses=Status.choices),
        ProposalFilterForm({"status": "fout", "hub": "delfshaven"}, hubs=hubs, statuses=[]),
        ProposalForm(today=TODAY, source_slots=proposal.slots_of()),
        ProposalForm({"title": "<script>", "desired_start": "2020-01-01"}, today=TODAY),
        AdoptedGridForm(proposal=proposal, today=TODAY, source_slots=proposal.slots_of()),
        AdoptedGridForm(grid, proposal=proposal, today=TODAY),
        AnswerForm({"decision": "partly", "motivation": " "}, today=TODAY),
        MessageForm(can_write_internal=True),
        MessageForm({"body": ""}, can_write_internal=True),
        TransitionForm({"to": Status.WITHDRAWN}, target=Status.WITHDRAWN),
        PublicationForm(initial={"public": "1"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_field_of_the_proposal_forms_is_drawn_as_django_draws_it(hub, wijkraad, language):
    proposal = make_proposal(hub, wijkraad)
    with translation.override(language):
        for form in _forms_of_the_pages(proposal):
            assert isinstance(form.renderer, rendering.FastWidgetRenderer)
            if form.is_bound:
                form.is_valid()  # so the errors are drawn too
            fast = [str(field) for field in form]
            form.renderer = DJANGO
            assert fast == [str(field) for field in form], type(form).__name__


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_forms_of_the_desk_lists_and_reports_are_drawn_as_django_draws_them(hub, language):
    """The filters with every hub and every topic (grouped), the desk, the kennisbank
    search and the report period: the same HTML with the project's renderer."""
    from questions.forms_callbacks import CallbackForm, QueueFilterForm
    from questions.forms_desk import DeskForm, QuestionFilterForm
    from questions.forms_kennisbank import SearchForm
    from questions.models import Topic
    from reports.period import PeriodForm

    parent = Topic.objects.create(name="Wonen & <huur>")
    Topic.objects.create(name='Huur "sociaal"', parent=parent)
    topics = list(Topic.objects.all())
    hubs = [hub, HubFactory(name="Bloemhof")]
    with translation.override(language):
        forms_ = [
            QuestionFilterForm({"hub": str(hub.pk), "date_from": "x"}, hubs=hubs, topics=topics),
            QuestionFilterForm(hubs=hubs, topics=topics),
            DeskForm(hub=hub),
            DeskForm({"topic": "999"}, hub=hub),
            SearchForm({"q": "<b>huur</b>", "topic": str(topics[0].pk)}, topics=topics),
            QueueFilterForm({"status": "nonsense"}),
            CallbackForm({"phone": "06-1234"}),
            PeriodForm({"periode": "", "van": "2026-13-01"}, today=TODAY),
        ]
        for form in forms_:
            assert isinstance(form.renderer, rendering.FastWidgetRenderer)
            if form.is_bound:
                form.is_valid()
            fast = [str(field) for field in form]
            form.renderer = DJANGO
            assert fast == [str(field) for field in form], type(form).__name__


# --- the adopted grid ----------------------------------------------------------------------------


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def grids_drawn(monkeypatch):
    """How many adopted grid forms the proposal page made."""
    made = []

    class Counted(AdoptedGridForm):
        def __init__(self, *args, **kwargs):
            made.append(args[0] if args else None)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(workflow, "AdoptedGridForm", Counted)
    return made


def _grid_html(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="table-responsive">', html.index('id="answer"'))
    return html[start : html.index("</details>", start)]


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_the_adopted_grid_is_drawn_once_then_comes_from_the_cache(
    client, hub, wijkraad, coordinator, grids_drawn
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(coordinator)
    first = client.get(proposal.get_absolute_url())
    second = client.get(proposal.get_absolute_url())
    assert len(grids_drawn) == 1
    assert _grid_html(second) == _grid_html(first)
    assert 'id="id_adopted-d5_ochtend_open" checked' in _grid_html(second)


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_other_slots_or_another_language_get_their_own_adopted_grid(
    client, hub, wijkraad, coordinator, grids_drawn
):
    saturday = make_proposal(hub, wijkraad, submit=True)
    sunday = make_proposal(hub, wijkraad, pattern=[(6, Dagdeel.MIDDAG)], submit=True)
    client.force_login(coordinator)
    on_saturday = _grid_html(client.get(saturday.get_absolute_url()))
    on_sunday = _grid_html(client.get(sunday.get_absolute_url()))
    assert 'id="id_adopted-d5_ochtend_open" checked' in on_saturday
    assert 'id="id_adopted-d5_ochtend_open" checked' not in on_sunday
    assert 'id="id_adopted-d6_middag_open" checked' in on_sunday
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    in_english = _grid_html(client.get(saturday.get_absolute_url()))
    assert "Saturday morning" in in_english and "Saturday morning" not in on_saturday
    assert len(grids_drawn) == 3


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_a_posted_grid_is_shown_as_typed_and_never_kept(
    client, hub, wijkraad, coordinator, grids_drawn
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(coordinator)
    data = {
        "expected": proposal.status,
        "decision": "partly",
        "motivation": "Deels.",
        "start_date": "2027-01-05",
        "adopted-d0_ochtend_open": "on",
        "adopted-d0_ochtend_start": "9:xx",
        "adopted-d0_ochtend_end": "12:30",
    }
    client.post(reverse("proposals:decide", args=[proposal.pk]), data)
    typed = _grid_html(client.get(proposal.get_absolute_url()))
    assert 'value="9:xx"' in typed
    again = _grid_html(client.get(proposal.get_absolute_url()))
    assert 'value="9:xx"' not in again
    # The post itself, the page showing it as typed, the page as first shown (drawn
    # now: the typed grid was not kept).
    assert [posted is None for posted in grids_drawn] == [False, False, True]
