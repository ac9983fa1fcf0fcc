"""The coverage page (/rooster/dekking/), its CSV export and "generate shifts now"."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from hubs.constants import Dagdeel
from scheduling.constants import Staffing
from scheduling.models import Shift
from scheduling.services import signup_create
from tests.factories import GebiedFactory, give_role, hub_with_schedule, make_shift, staff_member

# A Wednesday. The default period runs four weeks: Wednesday 4 November up to and
# including Tuesday 1 December 2026.
TODAY = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
THURSDAY = dt.date(2026, 11, 5)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _fill(shift, count, role=Role.MEDEWERKER):
    for _ in range(count):
        signup_create(shift_id=shift.pk, user=staff_member(role=role))
    shift.refresh_from_db()
    return shift


def _cells(response):
    """(hub name, date, dagdeel) -> status of every shift on the page."""
    return {
        (row.hub.name, cell.shift.date, cell.shift.dagdeel): cell.status
        for row in response.context["rows"]
        for cell in row.cells
    }


# --- coverage -------------------------------------------------------------------------------


def test_coordinator_sees_every_hub_with_go_no_go(client, coordinator, hub, other_hub):
    full = _fill(make_shift(hub=hub, day=THURSDAY, min_staff=2, max_staff=3), 2)
    short = _fill(make_shift(hub=other_hub, day=THURSDAY, min_staff=2, max_staff=3), 1)
    client.force_login(coordinator)
    response = client.get(reverse("scheduling:coverage"))
    assert response.status_code == 200
    assert _cells(response) == {
        ("Feijenoord", THURSDAY, Dagdeel.OCHTEND): Staffing.GO,
        ("Bloemhof", THURSDAY, Dagdeel.OCHTEND): Staffing.SHORT,
    }
    html = response.content.decode()
    assert reverse("scheduling:shift_detail", args=[full.pk]) in html
    assert reverse("scheduling:shift_detail", args=[short.pk]) in html
    # Status in words, not only colour.
    assert _nl("Needs people") in html
    assert _nl("Staffed") in html


def test_hubs_at_risk_come_first_and_are_listed(client, coordinator):
    names = ["Afrikaanderwijk", "Bloemhof", "Charlois", "Delfshaven"]
    hubs = [hub_with_schedule(name=name) for name in names]
    for hub in hubs:
        make_shift(hub=hub, day=THURSDAY, min_staff=0, max_staff=3)
    make_shift(hub=hubs[2], day=THURSDAY, dagdeel=Dagdeel.MIDDAG, min_staff=1)  # short
    client.force_login(coordinator)
    response = client.get(reverse("scheduling:coverage"))
    order = [row.hub.name for row in response.context["rows"]]
    assert order == ["Charlois", "Afrikaanderwijk", "Bloemhof", "Delfshaven"]
    assert [entry["hub"].name for entry in response.context["at_risk"]] == ["Charlois"]
    assert 'href="#hub-charlois"' in response.content.decode()


def test_a_required_role_nobody_holds_is_no_go(client, coordinator, hub, other_hub):
    needs_host = _fill(
        make_shift(hub=hub, day=THURSDAY, min_staff=1, required_roles=[Role.HOST]), 2
    )
    has_host = make_shift(hub=other_hub, day=THURSDAY, min_staff=1, required_roles=[Role.HOST])
    host_of_other = give_role(staff_member(), Role.HOST, other_hub)
    signup_create(shift_id=has_host.pk, user=host_of_other)
    client.force_login(coordinator)
    cells = _cells(client.get(reverse("scheduling:coverage")))
    assert cells[("Feijenoord", THURSDAY, Dagdeel.OCHTEND)] == Staffing.NO_ROLE
    assert cells[("Bloemhof", THURSDAY, Dagdeel.OCHTEND)] == Staffing.GO
    assert needs_host.confirmed_count == 2


def test_wijkmanager_sees_only_own_hubs(client, wijkmanager, hub, other_hub):
    make_shift(hub=hub, day=THURSDAY)
    make_shift(hub=other_hub, day=THURSDAY)
    client.force_login(wijkmanager)
    response = client.get(reverse("scheduling:coverage"))
    assert [row.hub for row in response.context["rows"]] == [hub]
    # Only coordinators generate shifts.
    assert reverse("scheduling:generate") not in response.content.decode()


def test_period_weeks_gebied_and_hub_filters(client, coordinator):
    noord = GebiedFactory(name="Noord")
    zuid = GebiedFactory(name="Zuid")
    a = hub_with_schedule(name="Oude Noorden", gebied=noord)
    b = hub_with_schedule(name="Tarwewijk", gebied=zuid)
    for hub in (a, b):
        make_shift(hub=hub, day=THURSDAY)
        make_shift(hub=hub, day=dt.date(2026, 11, 26))  # week 4
        make_shift(hub=hub, day=dt.date(2026, 12, 3))  # week 5
    client.force_login(coordinator)
    url = reverse("scheduling:coverage")

    dates = {key[1] for key in _cells(client.get(url))}
    assert dates == {THURSDAY, dt.date(2026, 11, 26)}

    dates = {key[1] for key in _cells(client.get(url, {"weeks": 1}))}
    assert dates == {THURSDAY}

    response = client.get(url, {"from": "2026-11-20", "weeks": 8})
    assert {key[1] for key in _cells(response)} == {dt.date(2026, 11, 26), dt.date(2026, 12, 3)}
    assert response.context["first"] == dt.date(2026, 11, 20)

    hubs = {key[0] for key in _cells(client.get(url, {"gebied": "zuid"}))}
    assert hubs == {"Tarwewijk"}
    hubs = {key[0] for key in _cells(client.get(url, {"hub": a.slug}))}
    assert hubs == {"Oude Noorden"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "9"}, "weeks"),
        ({"weeks": "-2"}, "weeks"),
        ({"weeks": "veel"}, "weeks"),
        ({"from": "04-11-2026"}, "from"),
        ({"from": "2026-13-45"}, "from"),
        ({"from": "9999-12-30"}, "from"),
        ({"hub": "bestaat-niet"}, "hub"),
    ],
)
def test_bad_filters_get_a_message_and_the_defaults(client, coordinator, hub, params, field):
    make_shift(hub=hub, day=THURSDAY)
    client.force_login(coordinator)
    response = client.get(reverse("scheduling:coverage"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["first"] == dt.date(2026, 11, 4)
    assert response.context["weeks"] == 4
    assert "is-invalid" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_wijkmanager_cannot_filter_on_another_hub(client, wijkmanager, hub, other_hub):
    make_shift(hub=hub, day=THURSDAY)
    make_shift(hub=other_hub, day=THURSDAY)
    client.force_login(wijkmanager)
    response = client.get(reverse("scheduling:coverage"), {"hub": other_hub.slug})
    assert "hub" in response.context["form"].errors
    assert [row.hub for row in response.context["rows"]] == [hub]


@pytest.mark.parametrize("who", ["host", "medewerker", "kcc", "wijkraad"])
def test_staff_without_a_managed_hub_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("scheduling:coverage")).status_code == 403
    assert client.get(reverse("scheduling:coverage_csv")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("scheduling:coverage"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_coverage_refuses_post(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("scheduling:coverage")).status_code == 405
    assert client.post(reverse("scheduling:coverage_csv")).status_code == 405


def test_any_one_of_the_required_roles_is_enough_whatever_else_people_hold(
    client, coordinator, hub, other_hub
):
    # Shifts that require different roles; the roles are read only for the roles some
    # shift requires, joined to the sign-ups on the person.
    kcc_or_host = make_shift(hub=hub, day=THURSDAY, min_staff=1, required_roles=["kcc", "host"])
    only_host = make_shift(
        hub=other_hub, day=THURSDAY, dagdeel=Dagdeel.MIDDAG, min_staff=1, required_roles=["host"]
    )
    kcc_and_wijkraad = give_role(staff_member(role=Role.KCC), Role.WIJKRAAD, hub)
    for shift in (kcc_or_host, only_host):
        signup_create(shift_id=shift.pk, user=kcc_and_wijkraad)
    client.force_login(coordinator)
    cells = _cells(client.get(reverse("scheduling:coverage")))
    assert cells[("Feijenoord", THURSDAY, Dagdeel.OCHTEND)] == Staffing.GO
    assert cells[("Bloemhof", THURSDAY, Dagdeel.MIDDAG)] == Staffing.NO_ROLE
    # The same as the model's own rule, shift by shift.
    for shift in Shift.objects.all():
        present = {
            ra.role for s in shift.signups.confirmed() for ra in s.user.role_assignments.all()
        }
        assert cells[(shift.hub.name, shift.date, shift.dagdeel)] == shift.staffing(present)


def test_a_period_where_no_shift_requires_a_role_makes_the_same_queries(
    client, coordinator, hub, django_assert_num_queries
):
    _fill(make_shift(hub=hub, day=THURSDAY, min_staff=1), 1)
    client.force_login(coordinator)
    # As in the test below: the roles are asked for even when no shift requires one.
    with django_assert_num_queries(7):
        response = client.get(reverse("scheduling:coverage"))
    assert _cells(response) == {("Feijenoord", THURSDAY, Dagdeel.OCHTEND): Staffing.GO}


@pytest.mark.parametrize("count", [5, 40])
def test_coverage_query_count_does_not_grow_with_hubs(
    client, coordinator, count, django_assert_num_queries
):
    gebied = GebiedFactory(name="Feijenoord")
    hubs = [hub_with_schedule(name=f"Hub {n:02}", gebied=gebied) for n in range(count)]
    for n, hub in enumerate(hubs):
        shift = make_shift(hub=hub, day=THURSDAY, min_staff=1, required_roles=[Role.KCC])
        make_shift(hub=hub, day=THURSDAY, dagdeel=Dagdeel.MIDDAG)
        _fill(shift, 1, role=Role.KCC if n % 2 else Role.MEDEWERKER)
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 the hubs the user manages with
    # their gebied (the filter's choices and the page's headings), 5 every shift as
    # plain rows, 6 the roles of the confirmed people (one query for every shift that
    # requires a role), 7 the shifts of this page's hubs.
    with django_assert_num_queries(7):
        response = client.get(reverse("scheduling:coverage"))
    statuses = [c.status for row in response.context["rows"] for c in row.cells]
    # Ten hubs a page, those at risk first.
    assert len(statuses) == 2 * min(count, 10)
    # Every hub is at risk (nobody in the afternoon); the summary lists them all.
    assert len(response.context["at_risk"]) == count
    # Even-numbered hubs have only a medewerker where a KCC employee is required.
    shown = min(count, 10)
    assert statuses.count(Staffing.NO_ROLE) == len(range(0, shown, 2))
    with django_assert_num_queries(7):
        last = client.get(reverse("scheduling:coverage") + "?pagina=4")
    assert last.status_code == 200


# --- CSV ------------------------------------------------------------------------------------


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_has_the_same_rows_as_the_page(client, coordinator, hub, other_hub):
    _fill(make_shift(hub=hub, day=THURSDAY, min_staff=2, max_staff=3), 2)
    make_shift(hub=hub, day=THURSDAY, dagdeel=Dagdeel.MIDDAG, min_staff=2, max_staff=4)
    _fill(make_shift(hub=other_hub, day=dt.date(2026, 11, 9), min_staff=2), 1)
    client.force_login(coordinator)
    page = client.get(reverse("scheduling:coverage"))
    response = client.get(reverse("scheduling:coverage_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert len(header) == 11
    expected = [
        [
            cell.shift.hub.name,
            cell.shift.hub.gebied.name,
            cell.shift.date.isoformat(),
            cell.shift.get_dagdeel_display(),
            str(cell.shift.confirmed_count),
            str(cell.shift.min_staff),
            str(cell.shift.max_staff),
            str(cell.status_label),
            str(cell.shift.shortage),
        ]
        for row in page.context["rows"]
        for cell in row.cells
    ]
    assert [r[:4] + r[6:] for r in rows] == expected
    by_key = {(r[0], r[2], r[4]): r for r in rows}
    assert by_key[("Feijenoord", "2026-11-05", "09:00")][5] == "12:30"
    assert by_key[("Bloemhof", "2026-11-09", "09:00")][-1] == "1"


def test_csv_follows_the_filters(client, coordinator, hub, other_hub):
    make_shift(hub=hub, day=THURSDAY)
    make_shift(hub=other_hub, day=THURSDAY)
    client.force_login(coordinator)
    response = client.get(reverse("scheduling:coverage_csv"), {"hub": hub.slug})
    _header, *rows = _csv_rows(response)
    assert [r[0] for r in rows] == ["Feijenoord"]


def test_csv_link_keeps_the_filters(client, coordinator, hub):
    client.force_login(coordinator)
    response = client.get(reverse("scheduling:coverage"), {"hub": hub.slug, "weeks": "2"})
    assert f"{reverse('scheduling:coverage_csv')}?hub={hub.slug}&amp;weeks=2" in (
        response.content.decode()
    )


# --- generate ---------------------------------------------------------------------------


def test_coordinator_generates_shifts_and_sees_the_counts(client, coordinator, hub):
    client.force_login(coordinator)
    response = client.post(reverse("scheduling:generate"), follow=True)
    assert response.status_code == 200
    created = Shift.objects.filter(hub=hub).count()
    # The standard week has 4 dagdelen; the horizon is 8 weeks from today.
    assert created >= 8 * 4
    message = str(list(response.context["messages"])[0])
    assert str(created) in message
    # A second press changes nothing.
    client.post(reverse("scheduling:generate"))
    assert Shift.objects.filter(hub=hub).count() == created


def test_wijkmanager_cannot_generate(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert client.post(reverse("scheduling:generate")).status_code == 403
    assert not Shift.objects.exists()


def test_generate_refuses_get(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("scheduling:generate")).status_code == 405
    assert not Shift.objects.exists()


def test_coverage_shows_ten_hubs_a_page_at_risk_first_and_the_summary_links_to_every_page(
    client, coordinator
):
    gebied = GebiedFactory(name="Feijenoord")
    hubs = [hub_with_schedule(name=f"Hub {n:02}", gebied=gebied) for n in range(12)]
    for n, hub in enumerate(hubs):
        # Hubs 00, 05 and 10 are short of people; the others have their minimum.
        shift = make_shift(hub=hub, day=THURSDAY, min_staff=1)
        if n % 5:
            _fill(shift, 1)
    client.force_login(coordinator)
    url = reverse("scheduling:coverage")
    response = client.get(url)
    rows = response.context["rows"]
    assert [r.hub.name for r in rows[:3]] == ["Hub 00", "Hub 05", "Hub 10"]
    assert len(rows) == 10
    page = response.content.decode()
    assert 'href="#hub-hub-00"' in page  # on this page: no page in the link
    second = client.get(url + "?pagina=2")
    assert [r.hub.name for r in second.context["rows"]] == ["Hub 09", "Hub 11"]
    # From page 2, the summary links to page 1 for the hubs at risk.
    assert 'href="?pagina=1#hub-hub-05"' in second.content.decode()
    assert 'aria-current="page"' in second.content.decode()
    # The CSV has every hub, whatever the page.
    csv_hubs = {row[0] for row in _csv_rows(client.get(reverse("scheduling:coverage_csv")))[1:]}
    assert len(csv_hubs) == 12


# --- the hub tables, written in Python (scheduling/templatetags/roster.py) -------------------

# The template that drew one hub of the page before {% coverage_hub %} wrote it in Python.
OLD_HUB_SECTION = """{% load i18n %}
<section class="mb-4{% if row.at_risk %} border-start border-4 border-warning ps-3{% endif %}" id="hub-{{ row.hub.slug }}" aria-labelledby="hub-{{ row.hub.slug }}-heading">
  <h2 class="h4" id="hub-{{ row.hub.slug }}-heading">
    {{ row.hub.name }} <span class="small text-body-secondary">{{ row.hub.gebied.name }}</span>
    {% if row.at_risk %}<span class="badge badge-norm-low">{% translate "at risk" %}</span>{% endif %}
  </h2>
  <div class="table-responsive">
  <table class="table table-sm align-middle coverage-table">
    <caption class="visually-hidden">{% blocktranslate with name=row.hub.name %}Staffing of {{ name }} per date and dagdeel{% endblocktranslate %}</caption>
    <thead>
      <tr>
        <th scope="col">{% translate "Date" %}</th>
        {% for dagdeel in dagdelen %}<th scope="col">{{ dagdeel.label }}</th>{% endfor %}
      </tr>
    </thead>
    <tbody>
    {% for day in row.days %}
      <tr>
        <th scope="row">{{ day.date|date:"D j N" }}</th>
        {% for cell in day.cells %}{% if not cell %}<td><span class="text-body-secondary">{% translate "closed" %}</span></td>{% else %}<td{% if cell.css_class %} class="{{ cell.css_class }}"{% endif %}><a href="{% url 'scheduling:shift_detail' cell.shift.pk %}">{% blocktranslate with staffed=cell.shift.confirmed_count minimum=cell.shift.min_staff maximum=cell.shift.max_staff %}{{ staffed }} of min. {{ minimum }}, max. {{ maximum }}{% endblocktranslate %}</a><br><span class="fw-semibold">{% if cell.at_risk %}<span aria-hidden="true">⚠ </span>{% endif %}{{ cell.status_label }}</span>{% if cell.shift.shortage %} <span class="small">({% blocktranslate count count=cell.shift.shortage %}{{ count }} more needed{% plural %}{{ count }} more needed{% endblocktranslate %})</span>{% endif %}</td>{% endif %}{% endfor %}
      </tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
</section>"""  # noqa: E501


def _same_markup(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_the_hub_tables_are_the_markup_the_template_drew(client, coordinator):
    risky = hub_with_schedule(name="Het Lage Land-'s Gravenland & <Co>")
    calm = hub_with_schedule(name="Bloemhof")
    _fill(make_shift(hub=risky, day=THURSDAY, min_staff=3, max_staff=4), 1)  # 2 more needed
    make_shift(hub=risky, day=THURSDAY, dagdeel=Dagdeel.AVOND, is_cancelled=True)
    host_needed = make_shift(
        hub=risky, day=dt.date(2026, 11, 6), min_staff=1, required_roles=[Role.HOST]
    )
    _fill(host_needed, 1)
    _fill(make_shift(hub=calm, day=THURSDAY, min_staff=1, max_staff=2), 1)
    _fill(make_shift(hub=calm, day=THURSDAY, dagdeel=Dagdeel.MIDDAG, min_staff=0), 1)
    client.force_login(coordinator)
    rows = client.get(reverse("scheduling:coverage")).context["rows"]
    assert {c.status for row in rows for c in row.cells} == set(Staffing)
    with translation.override("nl"):
        old = Template(OLD_HUB_SECTION)
        new = Template("{% load roster %}{% coverage_hub row %}")
        for row in rows:
            context = {"row": row, "dagdelen": list(Dagdeel)}
            expected = _same_markup(old.render(Context(context)))
            assert _same_markup(new.render(Context(context))) == expected
        html = new.render(Context({"row": rows[0], "dagdelen": list(Dagdeel)}))
    # At risk first; its name escaped wherever it appears.
    assert "Het Lage Land-&#x27;s Gravenland &amp; &lt;Co&gt; <span" in html
    assert "<Co>" not in html
