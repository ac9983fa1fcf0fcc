""" "Mijn hub deze week" (reports:week): this week so far of one's own hubs, counted by hand."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from hubs.constants import Dagdeel
from questions.constants import CallbackStatus, Outcome
from questions.models import CallbackRequest
from reports.week import my_hubs, week_summaries
from scheduling.constants import SignUpStatus
from scheduling.models import SignUp
from tests.factories import (
    HubFactory,
    QuestionFactory,
    ReferralTargetFactory,
    TopicFactory,
    UserFactory,
    give_role,
    make_callback,
    make_shift,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Wednesday 25 November 2026, 12:45: the morning has started, the afternoon (13:00) not.
NOW = dt.datetime(2026, 11, 25, 12, 45, tzinfo=AMS)
MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5))
URL = reverse("reports:week")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def ask(hub, day, topic, outcome=Outcome.ANSWERED, n=1):
    referral = ReferralTargetFactory() if outcome == Outcome.REFERRED else None
    for _ in range(n):
        QuestionFactory(hub=hub, date=day, topic=topic, outcome=outcome, referral_target=referral)


def place(shift, user):
    return SignUp.objects.create(
        shift=shift,
        user=user,
        date=shift.date,
        dagdeel=shift.dagdeel,
        status=SignUpStatus.CONFIRMED,
    )


@pytest.fixture
def week_data(hub, other_hub, frozen):
    """Feijenoord's week, and noise around it that must not count."""
    wonen = TopicFactory(name="Wonen")
    werk = TopicFactory(name="Werk en inkomen")
    ask(hub, MON, TopicFactory(name="Huur", parent=wonen), n=2)
    ask(hub, MON, TopicFactory(name="Onderhoud", parent=wonen), Outcome.REFERRED)
    ask(hub, TUE, TopicFactory(name="Uitkering", parent=werk), Outcome.CALLBACK)
    ask(hub, TUE, werk)
    ask(hub, WED, TopicFactory(name="Afval"))
    ask(hub, WED, TopicFactory(name="Zorg"))
    # Last week: Monday to Wednesday count as "the same days", Thursday does not.
    ask(hub, MON - dt.timedelta(weeks=1), wonen, n=2)
    ask(hub, WED - dt.timedelta(weeks=1), wonen)
    ask(hub, THU - dt.timedelta(weeks=1), wonen, n=4)
    ask(hub, WED - dt.timedelta(weeks=2), wonen, n=5)
    ask(hub, THU, wonen)  # logged ahead by mistake: after today, not "so far"
    ask(other_hub, TUE, wonen, n=10)

    shifts = {
        "mon_morning": make_shift(hub, MON, Dagdeel.OCHTEND, confirmed_count=2),
        "mon_afternoon": make_shift(hub, MON, Dagdeel.MIDDAG, confirmed_count=1),
        "tue_morning": make_shift(hub, TUE, Dagdeel.OCHTEND, is_cancelled=True),
        "wed_morning": make_shift(hub, WED, Dagdeel.OCHTEND, confirmed_count=0),
        "wed_afternoon": make_shift(hub, WED, Dagdeel.MIDDAG, confirmed_count=1),
        "thu_morning": make_shift(hub, THU, Dagdeel.OCHTEND, confirmed_count=2),
        "fri_afternoon": make_shift(hub, FRI, Dagdeel.MIDDAG, min_staff=1, confirmed_count=0),
        "last_week": make_shift(hub, MON - dt.timedelta(weeks=1), confirmed_count=0),
        "next_week": make_shift(hub, MON + dt.timedelta(weeks=1), confirmed_count=0),
        "elsewhere": make_shift(other_hub, WED, Dagdeel.MIDDAG, confirmed_count=0),
    }

    # Callbacks made a month ago (their questions fall outside both weeks).
    frozen.move_to(dt.datetime(2026, 10, 20, 10, 0, tzinfo=AMS), tick=False)
    callbacks = [make_callback(hub=hub) for _ in range(4)] + [make_callback(hub=other_hub)]
    frozen.move_to(NOW, tick=False)
    CallbackRequest.objects.filter(pk=callbacks[0].pk).update(due_date=TUE)  # overdue
    CallbackRequest.objects.filter(pk=callbacks[1].pk).update(due_date=WED)  # due today
    CallbackRequest.objects.filter(pk=callbacks[2].pk).update(due_date=FRI)
    CallbackRequest.objects.filter(pk=callbacks[3].pk).update(
        status=CallbackStatus.COMPLETED, due_date=MON
    )
    CallbackRequest.objects.filter(pk=callbacks[4].pk).update(due_date=MON)
    return shifts


def test_the_week_so_far_is_counted_by_hand(hub, week_data):
    [week] = week_summaries([hub], WED, NOW)
    assert week.questions == 7  # Mon 3, Tue 2, Wed 2
    assert week.questions_same_days_last_week == 3  # Mon 16 (2) and Wed 18 (1)
    assert [(o.count, o.share) for o in week.outcomes] == [
        (5, 71.4),  # answered: 5 of 7
        (1, 14.3),  # referred
        (1, 14.3),  # callback
    ]
    # Subtopics count for their main topic; a tie goes by name.
    assert week.top_topics == [("Wonen", 3), ("Werk en inkomen", 2), ("Afval", 1)]
    assert week.dagdelen_open == 6  # seven planned, Tuesday morning cancelled
    assert week.dagdelen_cancelled == 1
    assert week.dagdelen_done == 3  # Monday twice, Wednesday morning
    assert week.under_minimum == 2  # Monday afternoon (1 of 2), Wednesday morning (0 of 2)
    assert week.to_come == 3
    assert week.short_to_come == [week_data["wed_afternoon"], week_data["fri_afternoon"]]
    assert week.callbacks_open == 3  # the completed one and the other hub's are not counted
    assert week.callbacks_overdue == 1  # due yesterday; the one due today is not late yet


def test_an_empty_week_has_zeros_and_no_shares(hub):
    [week] = week_summaries([hub], WED, NOW)
    assert week.questions == 0
    assert [(o.count, o.share) for o in week.outcomes] == [(0, None)] * 3
    assert week.top_topics == []
    assert (week.dagdelen_open, week.callbacks_open) == (0, 0)


def test_the_page_shows_the_hand_counted_figures(client, host, hub, week_data):
    client.force_login(host)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for figure, value in [
        ("questions", 7),
        ("last-week", 3),
        ("open", 6),
        ("done", 3),
        ("under-minimum", 2),
        ("to-come", 3),
        ("short", 2),
        ("cancelled", 1),
        ("callbacks-open", 3),
    ]:
        assert f'data-figure="{figure}">{value}<' in html, figure
    assert "71%" in html
    # The host reaches the desk and the dagdelen that still need people.
    assert reverse("questions:desk", args=[hub.slug]) in html
    assert reverse("scheduling:shift_detail", args=[week_data["wed_afternoon"].pk]) in html
    assert reverse("scheduling:shift_detail", args=[week_data["thu_morning"].pk]) not in html
    # A host has no report pages.
    assert reverse("reports:hub", args=[hub.slug]) not in html
    # No resident's data: callbacks are only counted.
    assert "Jan Jansen" not in html and "0612345678" not in html


def test_a_host_sees_only_her_own_hub(client, host, hub, other_hub, week_data):
    client.force_login(host)
    response = client.get(URL)
    assert [item["week"].hub for item in response.context["hubs"]] == [hub]
    assert "Bloemhof" not in response.content.decode()


def test_a_wijkmanager_gets_a_link_to_the_hubs_report(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    html = client.get(URL).content.decode()
    assert reverse("reports:hub", args=[hub.slug]) in html


def test_a_medewerker_sees_the_hubs_where_she_works_this_week(
    client, medewerker, hub, other_hub, week_data
):
    place(week_data["elsewhere"], medewerker)
    place(week_data["last_week"], medewerker)  # last week: not this week's hub
    client.force_login(medewerker)
    response = client.get(URL)
    assert [item["week"].hub for item in response.context["hubs"]] == [other_hub]
    html = response.content.decode()
    # Not her hub's shift pages: the week grid, where she can sign up.
    grid = f"{reverse('scheduling:week')}?week=2026-11-23&amp;hub={other_hub.slug}"
    assert grid in html
    assert reverse("scheduling:shift_detail", args=[week_data["elsewhere"].pk]) not in html


def test_a_cancelled_or_waitlisted_place_does_not_make_a_hub_hers(kcc, hub, week_data):
    place(week_data["tue_morning"], kcc)  # the dagdeel was cancelled
    SignUp.objects.create(
        shift=week_data["thu_morning"],
        user=kcc,
        date=THU,
        dagdeel=Dagdeel.OCHTEND,
        status=SignUpStatus.WAITLISTED,
    )
    assert list(my_hubs(kcc, WED)) == []


def test_without_a_place_this_week_a_medewerker_is_pointed_to_the_roster(client, medewerker):
    client.force_login(medewerker)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-hub"' in html
    assert reverse("scheduling:week") in html


def test_a_coordinator_picks_one_hub(client, coordinator, hub, other_hub, week_data):
    client.force_login(coordinator)
    response = client.get(URL)
    # By default the first hub by name: Bloemhof before Feijenoord.
    assert [item["week"].hub for item in response.context["hubs"]] == [other_hub]
    assert f'<option value="{hub.slug}">' in response.content.decode()
    response = client.get(URL, {"hub": hub.slug})
    assert [item["week"].hub for item in response.context["hubs"]] == [hub]
    assert 'data-figure="questions">7<' in response.content.decode()


def test_an_inactive_hub_is_not_shown(client, host, hub):
    hub.is_active = False
    hub.save()
    client.force_login(host)
    assert 'id="no-hub"' in client.get(URL).content.decode()


def test_a_wijkmanager_of_several_hubs_can_narrow_to_one(client, wijkmanager, hub):
    second = HubFactory(name="Hillesluis")
    give_role(wijkmanager, Role.WIJKMANAGER, second)
    client.force_login(wijkmanager)
    response = client.get(URL)
    assert [item["week"].hub for item in response.context["hubs"]] == [hub, second]
    response = client.get(URL, {"hub": second.slug})
    assert [item["week"].hub for item in response.context["hubs"]] == [second]


# --- access and bad input ------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_wijkraad_member_is_refused(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(URL).status_code == 403


def test_someone_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_the_page_cannot_be_posted_to(client, host):
    client.force_login(host)
    assert client.post(URL).status_code == 405


def test_another_hosts_hub_is_refused(client, host, other_hub):
    client.force_login(host)
    assert client.get(URL, {"hub": other_hub.slug}).status_code == 403


def test_an_unknown_hub_is_not_found(client, coordinator, hub):
    client.force_login(coordinator)
    assert client.get(URL, {"hub": "bestaat-niet"}).status_code == 404


# --- queries ---------------------------------------------------------------------------------


def _more_data(wijkmanager, n):
    """``n`` more hubs of the wijkmanager, each with questions, dagdelen and callbacks."""
    topic = TopicFactory(name="Wonen")
    for i in range(n):
        extra = HubFactory(name=f"Extra {i}")
        give_role(wijkmanager, Role.WIJKMANAGER, extra)
        ask(extra, MON, TopicFactory(name=f"Sub {i}", parent=topic), n=5)
        ask(extra, TUE, topic, Outcome.CALLBACK, n=3)
        make_shift(extra, WED, Dagdeel.MIDDAG, confirmed_count=0)
        make_shift(extra, THU, Dagdeel.OCHTEND, confirmed_count=1)
        make_callback(hub=extra)


@pytest.mark.parametrize("more_hubs", [0, 4])
def test_the_page_runs_a_fixed_number_of_queries(
    client, wijkmanager, hub, week_data, more_hubs, django_assert_num_queries
):
    _more_data(wijkmanager, more_hubs)
    client.force_login(wijkmanager)
    # 1 session, 2 user, 3 roles (Access), 4 her hubs, then week_summaries: 5 questions,
    # 6 topics, 7 the week's dagdelen, 8 open callbacks.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["hubs"]) == 1 + more_hubs


@pytest.mark.parametrize("more_hubs", [0, 4])
def test_the_coordinators_page_runs_a_fixed_number_of_queries(
    client, coordinator, hub, week_data, more_hubs, django_assert_num_queries
):
    _more_data(UserFactory(), more_hubs)
    client.force_login(coordinator)
    # 1 session, 2 user, 3 roles, 4 her own hubs, 5 every active hub (the picker), then
    # the four of week_summaries (6-9).
    with django_assert_num_queries(9):
        response = client.get(URL, {"hub": hub.slug})
    assert len(response.context["choices"]) == 2 + more_hubs


def test_the_staff_home_links_here_for_those_who_may_see_it(client, host, wijkraad):
    client.force_login(host)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(wijkraad)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# The list of dagdelen still short of people, as _week_dagdelen.html drew it before
# {% short_dagdelen %} (reports/templatetags/report_tags.py) took it over.
OLD_SHORT_LIST = (
    "{% load i18n %}{% for shift in item.week.short_to_come %}"
    "<li><a href=\"{% if item.shift_details %}{% url 'scheduling:shift_detail' shift.pk %}"
    '{% else %}{{ item.grid_url }}{% endif %}">{{ shift.date|date:"l j F" }}, '
    "{{ shift.get_dagdeel_display|lower }}</a>: {% blocktranslate with "
    "staffed=shift.confirmed_count minimum=shift.min_staff %}{{ staffed }} signed up, at "
    "least {{ minimum }} needed{% endblocktranslate %}</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("shift_details", [True, False])
def test_the_short_dagdelen_are_the_markup_the_template_drew(language, shift_details):
    def shift(pk, day, dagdeel, staffed, minimum):
        return SimpleNamespace(
            pk=pk,
            date=day,
            dagdeel=dagdeel,
            confirmed_count=staffed,
            min_staff=minimum,
            get_dagdeel_display=lambda: Dagdeel(dagdeel).label,
        )

    item = {
        "shift_details": shift_details,
        "grid_url": "/rooster/?week=2026-11-16&hub=a&b",
        "week": SimpleNamespace(
            short_to_come=[
                shift(7, dt.date(2026, 11, 19), Dagdeel.OCHTEND, 0, 2),
                shift(12345, dt.date(2026, 11, 21), Dagdeel.AVOND, 1, 3),
            ]
        ),
    }
    with translation.override(language):
        old = Template(OLD_SHORT_LIST).render(Context({"item": item}))
        new = Template("{% load report_tags %}{% short_dagdelen item %}").render(
            Context({"item": item})
        )
    assert new == old
    assert ("donderdag 19 november" in new) == (language == "nl")
    assert "&amp;b" in new or shift_details
