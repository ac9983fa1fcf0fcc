"""The week grid over all hubs (scheduling:week) and the htmx cell answers."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from hubs.constants import Dagdeel
from scheduling import services
from scheduling.constants import SignUpStatus
from scheduling.models import ClusterOffer, Shift, SignUp
from tests.factories import ClusterFactory, GebiedFactory, HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMS)  # Monday
URL = reverse("scheduling:week")
NEXT_WEEK = URL + "?week=2026-12-07"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


# --- access -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_wijkraad_member_may_not_see_the_roster(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["host", "medewerker", "kcc", "wijkmanager", "coordinator"])
def test_every_staff_role_sees_the_roster(client, cast, role):
    client.force_login(cast[role])
    assert client.get(URL).status_code == 200


def test_the_grid_cannot_be_posted_to(client, medewerker):
    client.force_login(medewerker)
    assert client.post(URL).status_code == 405


# --- what a cell shows -----------------------------------------------------------------------


def test_a_cell_shows_staffed_minimum_maximum_and_needs_people(client, medewerker):
    shift = make_shift(hub=HubFactory(name="Feijenoord"), min_staff=2, max_staff=4)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    response = client.get(NEXT_WEEK)
    page = response.content.decode()
    assert "1/2 (max 4)" in page
    assert nl("needs people") in page
    assert reverse("scheduling:signup", args=[shift.pk]) in page
    assert 'hx-post="{}"'.format(reverse("scheduling:signup", args=[shift.pk])) in page


def test_a_cell_shows_my_own_place_with_a_cancel_button(client, medewerker):
    shift = make_shift(min_staff=1, max_staff=4)
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    page = client.get(NEXT_WEEK).content.decode()
    assert nl("you are signed up") in page
    assert reverse("scheduling:cancel", args=[place.pk]) in page
    assert reverse("scheduling:signup", args=[shift.pk]) not in page
    assert f'text-bg-danger">{nl("needs people")}<' not in page


def test_a_cell_shows_my_waitlist_position(client, medewerker):
    shift = make_shift(min_staff=1, max_staff=1)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    services.waitlist_join(shift_id=shift.pk, user=staff_member())
    entry = services.waitlist_join(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    page = client.get(NEXT_WEEK).content.decode()
    with translation.override("nl"):
        expected = gettext("on the waitlist (number %(position)s)") % {"position": 2}
    assert expected in page
    assert reverse("scheduling:cancel", args=[entry.pk]) in page


def test_a_cell_shows_a_pending_hand_over_with_a_withdraw_button(client, medewerker, frozen):
    shift = make_shift(day=dt.date(2026, 12, 1), min_staff=2, max_staff=3)
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    result = services.signup_cancel(signup_id=place.pk, user=medewerker)
    client.force_login(medewerker)
    page = client.get(URL).content.decode()
    assert nl("hand-over requested") in page
    assert reverse("scheduling:handover_withdraw", args=[result.handover.pk]) in page


def test_a_place_elsewhere_in_the_same_dagdeel_is_shown_instead_of_a_button(client, medewerker):
    here = make_shift(hub=HubFactory(name="Feijenoord"))
    there = make_shift(hub=HubFactory(name="Bloemhof"))
    services.signup_create(shift_id=here.pk, user=medewerker)
    client.force_login(medewerker)
    page = client.get(NEXT_WEEK).content.decode()
    assert reverse("scheduling:signup", args=[there.pk]) not in page
    with translation.override("nl"):
        expected = gettext("You already work at %(hub)s in this dagdeel.") % {"hub": "Feijenoord"}
    assert expected in page


def test_a_closed_dagdeel_shows_its_reason_and_no_button(client, medewerker):
    shift = make_shift()
    services.shift_cancel(shift=shift, reason="Verbouwing")
    client.force_login(medewerker)
    page = client.get(NEXT_WEEK).content.decode()
    assert "Verbouwing" in page
    assert nl("Closed") in page
    assert reverse("scheduling:signup", args=[shift.pk]) not in page


def test_a_past_dagdeel_has_no_button(client, medewerker, frozen):
    past = make_shift(day=dt.date(2026, 11, 30), dagdeel=Dagdeel.OCHTEND)  # 09:00, now 10:00
    coming = make_shift(day=dt.date(2026, 11, 30), dagdeel=Dagdeel.MIDDAG)
    client.force_login(medewerker)
    page = client.get(URL).content.decode()
    assert reverse("scheduling:signup", args=[past.pk]) not in page
    assert reverse("scheduling:signup", args=[coming.pk]) in page


# --- filters, weeks, order ---------------------------------------------------------------


def test_the_week_can_be_chosen_by_any_of_its_days(client, medewerker):
    shift = make_shift(day=dt.date(2026, 12, 10))
    client.force_login(medewerker)
    response = client.get(URL + "?week=2026-12-12")  # a Saturday
    assert response.context["grid"].monday == dt.date(2026, 12, 7)
    assert reverse("scheduling:signup", args=[shift.pk]).encode() in response.content
    assert "week=2026-11-30" in response.context["previous_link"]
    assert "week=2026-12-14" in response.context["next_link"]


@pytest.mark.parametrize(
    # The last two were a server error: no week before the first or after the last.
    "bad",
    ["7-12-2026", "2026-13-01", "volgende", "20261207", "0001-01-01", "9999-12-31"],
)
def test_a_malformed_week_says_so_and_shows_this_week(client, medewerker, bad):
    client.force_login(medewerker)
    response = client.get(URL, {"week": bad})
    assert response.status_code == 200
    assert response.context["grid"].monday == dt.date(2026, 11, 30)
    (problem,) = response.context["problems"]
    assert bad in problem


def test_unknown_district_or_hub_says_so_and_shows_all(client, medewerker):
    make_shift(hub=HubFactory(name="Feijenoord"))
    client.force_login(medewerker)
    response = client.get(NEXT_WEEK + "&gebied=nergens&hub=niets")
    assert len(response.context["problems"]) == 2
    assert len(response.context["grid"].rows) == 1


def test_the_grid_filters_by_district_and_by_hub(client, medewerker):
    zuid = GebiedFactory(name="Feijenoord")
    noord = GebiedFactory(name="Noord")
    a = make_shift(hub=HubFactory(name="Afrikaanderwijk", gebied=zuid))
    b = make_shift(hub=HubFactory(name="Bloemhof", gebied=zuid))
    c = make_shift(hub=HubFactory(name="Oude Noorden", gebied=noord))
    client.force_login(medewerker)
    by_gebied = client.get(NEXT_WEEK + "&gebied=feijenoord")
    assert [r.hub for r in by_gebied.context["grid"].rows] == [a.hub, b.hub]
    by_hub = client.get(NEXT_WEEK + "&hub=" + c.hub.slug)
    assert [r.hub for r in by_hub.context["grid"].rows] == [c.hub]
    # The previous/next links keep the filter.
    assert "hub=" + c.hub.slug in by_hub.context["next_link"]


def test_hubs_that_need_most_people_come_first_unless_sorted_by_name(client, medewerker):
    full = make_shift(hub=HubFactory(name="Afrikaanderwijk"), min_staff=1, max_staff=2)
    services.signup_create(shift_id=full.pk, user=staff_member())
    make_shift(hub=HubFactory(name="Bloemhof"), min_staff=1)
    make_shift(hub=HubFactory(name="Crooswijk"), min_staff=3)
    client.force_login(medewerker)
    rows = client.get(NEXT_WEEK).context["grid"].rows
    assert [(r.hub.name, r.shortage) for r in rows] == [
        ("Crooswijk", 3),
        ("Bloemhof", 1),
        ("Afrikaanderwijk", 0),
    ]
    rows = client.get(NEXT_WEEK + "&order=name").context["grid"].rows
    assert [r.hub.name for r in rows] == ["Afrikaanderwijk", "Bloemhof", "Crooswijk"]


def test_columns_are_the_dagdelen_that_occur_in_day_order(client, medewerker):
    hub = HubFactory()
    make_shift(hub=hub, day=dt.date(2026, 12, 8), dagdeel=Dagdeel.AVOND)
    make_shift(hub=hub, day=dt.date(2026, 12, 8), dagdeel=Dagdeel.OCHTEND)
    make_shift(hub=HubFactory(), day=dt.date(2026, 12, 7), dagdeel=Dagdeel.MIDDAG)
    client.force_login(medewerker)
    grid = client.get(NEXT_WEEK).context["grid"]
    assert [(c.date.day, c.dagdeel) for c in grid.columns] == [
        (7, Dagdeel.MIDDAG),
        (8, Dagdeel.OCHTEND),
        (8, Dagdeel.AVOND),
    ]
    assert grid.days == [(dt.date(2026, 12, 7), 1), (dt.date(2026, 12, 8), 2)]


# --- htmx: the cell answers in place ----------------------------------------------------------


def test_htmx_sign_up_returns_just_the_updated_cell_with_the_message(client, medewerker):
    shift = make_shift(min_staff=1, max_staff=2)
    client.force_login(medewerker)
    response = client.post(
        reverse("scheduling:signup", args=[shift.pk]),
        {"next": NEXT_WEEK},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.strip().startswith(f'<div class="shift-cell" id="shift-{shift.pk}">')
    assert "<html" not in page
    assert 'role="status"' in page
    assert "1/1 (max 2)" in page
    place = SignUp.objects.get(user=medewerker)
    assert reverse("scheduling:cancel", args=[place.pk]) in page
    assert f'value="{NEXT_WEEK}"' in page.replace("&amp;", "&")
    # The message was shown in the cell; it does not wait for the next page.
    assert list(client.get(NEXT_WEEK).context["messages"]) == []


def test_htmx_sign_up_on_a_full_cell_says_vol_and_offers_the_waitlist(client, medewerker):
    shift = make_shift(min_staff=1, max_staff=1)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    response = client.post(
        reverse("scheduling:signup", args=[shift.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert nl("This dagdeel is full. You can join the waitlist.") in page
    assert reverse("scheduling:waitlist", args=[shift.pk]) in page
    response = client.post(
        reverse("scheduling:waitlist", args=[shift.pk]), headers={"HX-Request": "true"}
    )
    with translation.override("nl"):
        expected = gettext("on the waitlist (number %(position)s)") % {"position": 1}
    assert expected in response.content.decode()


def test_htmx_on_a_forged_shift_sends_the_browser_back_to_the_page(client, medewerker):
    client.force_login(medewerker)
    response = client.post(
        reverse("scheduling:signup", args=[999999]),
        {"next": NEXT_WEEK},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == NEXT_WEEK
    messages = [str(m) for m in client.get(NEXT_WEEK).context["messages"]]
    assert messages == [nl("This dagdeel does not exist (any more).")]


# --- query counts -------------------------------------------------------------------------


def _city(hubs: int, signups: int, me: User):
    """``hubs`` hubs with four dagdelen next week; ``signups`` places spread over them
    (a few of them mine, one on a waitlist) and a cluster offer."""
    gebied = GebiedFactory(name="Feijenoord")
    shifts = []
    for _ in range(hubs):
        hub = HubFactory(gebied=gebied)
        for day, dagdeel in [(7, "ochtend"), (8, "middag"), (10, "ochtend"), (10, "middag")]:
            shifts.append(
                make_shift(hub=hub, day=dt.date(2026, 12, day), dagdeel=dagdeel, max_staff=20)
            )
    # One person per place: nobody may have two places in one dagdeel.
    people = User.objects.bulk_create([User(email=f"p{i}@example.org") for i in range(signups)])
    SignUp.objects.bulk_create(
        SignUp(shift=shift, user=person, date=shift.date, dagdeel=shift.dagdeel)
        for person, shift in zip(people, shifts * signups, strict=False)
    )
    for shift in shifts:
        Shift.objects.filter(pk=shift.pk).update(
            confirmed_count=SignUp.objects.filter(shift=shift).count()
        )
    ClusterOffer.objects.create(
        shift=shifts[-1], cluster=ClusterFactory(), places=2, release_at=NOW + dt.timedelta(days=5)
    )
    services.signup_create(shift_id=shifts[0].pk, user=me)
    Shift.objects.filter(pk=shifts[1].pk).update(min_staff=1, max_staff=F("confirmed_count"))
    services.waitlist_join(shift_id=shifts[1].pk, user=me)
    assert SignUp.objects.exclude(user=me).count() == signups
    assert SignUp.objects.filter(user=me, status=SignUpStatus.WAITLISTED).count() == 1


@pytest.mark.parametrize(("hubs", "signups"), [(5, 10), (40, 500)])
def test_the_grid_takes_the_same_queries_for_5_or_40_hubs_and_10_or_500_signups(
    client, medewerker, django_assert_num_queries, hubs, signups
):
    _city(hubs, signups, medewerker)
    client.force_login(medewerker)
    # 1 session, 2 user, 3 the user's roles (Access), 4 active hubs with their gebied,
    # 5 what each hub still needs, 6 the page's shifts, 7 my sign-ups (with hand-over
    # and waitlist position), 8 unreleased cluster offers with the places their
    # clusters already hold.
    with django_assert_num_queries(8):
        response = client.get(NEXT_WEEK)
    assert response.status_code == 200
    assert len(response.context["grid"].rows) == min(hubs, 10)
    with django_assert_num_queries(8):
        last = client.get(NEXT_WEEK + "&pagina=4")
    assert len(last.context["grid"].rows) == min(hubs, 10)


def test_the_grid_shows_ten_hubs_at_a_time_those_that_need_people_first(client, medewerker):
    gebied = GebiedFactory(name="Charlois")
    # 12 hubs; hub number n still needs n people next Monday morning.
    for n in range(12):
        make_shift(
            hub=HubFactory(gebied=gebied, name=f"Hub {n:02}"),
            day=dt.date(2026, 12, 7),
            dagdeel="ochtend",
            min_staff=n,
            max_staff=20,
        )
    client.force_login(medewerker)
    first = client.get(NEXT_WEEK)
    grid = first.context["grid"]
    assert [r.hub.name for r in grid.rows] == [f"Hub {n:02}" for n in range(11, 1, -1)]
    assert (grid.page, grid.pages, grid.hub_count) == (1, 2, 12)
    # What the week still needs counts the hubs on every page: 0 + 1 + ... + 11.
    assert grid.total_shortage == 66
    page = first.content.decode()
    assert "Wijkhubs 1–10 van 12, die met de meeste mensen nodig eerst." in page
    assert 'aria-current="page"><span class="visually-hidden">' in page
    second = client.get(NEXT_WEEK + "&pagina=2")
    assert [r.hub.name for r in second.context["grid"].rows] == ["Hub 01", "Hub 00"]
    assert 'rel="prev"' in second.content.decode()
    # By name, a page past the end, and rubbish: never an empty or broken page.
    by_name = client.get(NEXT_WEEK + "&order=name").context["grid"]
    assert [r.hub.name for r in by_name.rows][:2] == ["Hub 00", "Hub 01"]
    assert client.get(NEXT_WEEK + "&pagina=99").context["grid"].page == 2
    assert client.get(NEXT_WEEK + "&pagina=-1").context["grid"].page == 1
    assert client.get(NEXT_WEEK + "&pagina=" + "x" * 50).status_code == 200
    # Another week starts at its first page again.
    assert "pagina" not in second.context["next_link"]


def test_the_cells_speak_dutch(client, medewerker):
    """The labels the cells take from the catalogue (scheduling/templatetags/roster.py)."""
    open_shift = make_shift(day=dt.date(2026, 12, 7), max_staff=3)
    full = make_shift(day=dt.date(2026, 12, 8), min_staff=1, max_staff=1)
    Shift.objects.filter(pk=full.pk).update(confirmed_count=1)
    client.force_login(medewerker)
    page = client.get(NEXT_WEEK).content.decode()
    assert f'id="shift-{open_shift.pk}-action" class="btn btn-sm btn-primary">Aanmelden<' in page
    assert ">Op de wachtlijst zetten<" in page
    assert ">vol</span>" in page and f"shift-{full.pk}" in page
    assert "Sign up" not in page


# --- rows and filter options written in Python (scheduling/templatetags/roster.py) -----------

# What drew a row of the grid and the filter's options before {% week_row %} and
# {% slug_options %} wrote them in Python.
OLD_ROW = """{% load i18n roster %}
    <tr>
      <th scope="row">
        {{ row.hub.name }}
        <span class="d-block small fw-normal text-body-secondary">{{ row.hub.gebied.name }}</span>
        {% if row.shortage %}<span class="badge text-bg-danger">{% blocktranslate count shortage=row.shortage %}{{ shortage }} short{% plural %}{{ shortage }} short{% endblocktranslate %}</span>{% endif %}
      </th>
      {% for cell in row.cells %}
        <td>{% shift_cell cell %}</td>
      {% endfor %}
    </tr>"""  # noqa: E501
OLD_OPTIONS = """{% for hub in grid.hubs %}
        <option value="{{ hub.slug }}"{% if grid.hub == hub %} selected{% endif %}>{{ hub.name }}</option>
      {% endfor %}"""  # noqa: E501


def _same_markup(html: str) -> str:
    # Each form's CSRF token is masked anew, so only its presence is compared.
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_the_rows_and_options_are_the_markup_the_template_drew(client, medewerker):
    gebied = GebiedFactory(name="Delfshaven & <Co>")
    short = HubFactory(gebied=gebied, name="Bospolder 'Spangen'")
    calm = HubFactory(gebied=gebied, name="Oud-Mathenesse")
    make_shift(hub=short, day=dt.date(2026, 12, 7), min_staff=3, max_staff=4)
    make_shift(hub=short, day=dt.date(2026, 12, 8), dagdeel=Dagdeel.AVOND, min_staff=1)
    make_shift(hub=calm, day=dt.date(2026, 12, 8), min_staff=0)
    client.force_login(medewerker)
    response = client.get(NEXT_WEEK + f"&hub={calm.slug}")
    grid = response.context["grid"]
    response = client.get(NEXT_WEEK)
    rows = response.context["grid"].rows
    assert [row.shortage for row in rows] == [4, 0]
    with translation.override("nl"):
        for row in rows:
            context = {"row": row, "request": response.wsgi_request, "can_sign_up": True}
            old = Template(OLD_ROW).render(Context(context))
            new = Template("{% load roster %}{% week_row row %}").render(Context(context))
            assert _same_markup(new) == _same_markup(old)
        old = Template(OLD_OPTIONS).render(Context({"grid": grid}))
        new = Template("{% load roster %}{% slug_options grid.hubs grid.hub %}")
        new = new.render(Context({"grid": grid}))
    assert _same_markup(new) == _same_markup(old)
    assert f'<option value="{calm.slug}" selected>Oud-Mathenesse</option>' in new
    assert "Bospolder &#x27;Spangen&#x27;" in new
