"""The rows of a team's queue, written in Python (questions/templatetags/callbacks_rows.py),
are the rows the template loop wrote before: same markup, same escaping, same dates,
for a member (with claim buttons) and for a coordinator (without)."""

import datetime as dt
import re

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from pytest_django.asserts import assertHTMLEqual

from accounts.constants import Role
from questions.constants import OPEN_STATUSES, CallbackStatus
from questions.models import CallbackRequest
from questions.services import callback_claim, callback_complete
from questions.templatetags.callbacks_rows import _Dates
from tests.factories import (
    HubFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    give_role,
    make_callback,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

# The rows as team_queue.html drew them with {% for %} before the tags took over.
OLD_OPEN_ROWS = """{% load i18n %}
{% translate "overdue" as overdue_label %}{% translate "nobody yet" as nobody_label %}{% translate "you" as you_label %}{% translate "Claim" as claim_label %}
{% for row in rows %}
  <tr class="{% if row.overdue %}table-danger{% elif row.mine %}table-info{% endif %}">
    <th scope="row" class="text-nowrap"><a href="{{ row.url }}">{{ row.reference }}</a></th>
    <td>{{ row.due_date|date:"D j b" }}{% if row.overdue %} <strong>{{ overdue_label }}</strong>{% endif %}</td>
    <td>{{ row.hub.name }}</td>
    <td>{{ row.topic }}</td>
    <td>{{ row.get_status_display }}</td>
    <td>{% if not row.claimed_by_id %}<span class="fw-semibold">{{ nobody_label }}</span>{% elif row.mine %}{{ you_label }}{% else %}{{ row.claimed_by }}{% endif %}</td>
    {% if is_member %}
    <td>
      {% if not row.claimed_by_id %}
      <form method="post" action="{{ row.claim_url }}">
        {% csrf_token %}
        <button type="submit" class="btn btn-sm btn-primary">{{ claim_label }}<span class="visually-hidden"> {{ row.reference }}</span></button>
      </form>
      {% endif %}
    </td>
    {% endif %}
  </tr>
{% endfor %}"""  # noqa: E501

OLD_CLOSED_ROWS = """{% for row in closed %}
  <tr>
    <th scope="row" class="text-nowrap"><a href="{{ row.url }}">{{ row.reference }}</a></th>
    <td>{{ row.closed_at|date:"j b Y H:i" }}</td>
    <td>{{ row.hub.name }}</td>
    <td>{{ row.topic }}</td>
    <td>{{ row.get_status_display }}</td>
    <td>{{ row.claimed_by|default:"—" }}</td>
  </tr>
{% endfor %}"""

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _old_rows(queryset, order, user, today):
    """The callbacks as the view handed them to the old loop: model instances."""
    rows = list(
        queryset.select_related("hub", "claimed_by", "question__topic__parent").order_by(*order)
    )
    for row in rows:
        row.topic = row.question.topic
        row.url = reverse("questions:callback_detail", args=[row.reference])
        row.claim_url = reverse("questions:callback_claim", args=[row.reference])
        row.overdue = row.is_overdue(today)
        row.mine = row.claimed_by_id == user.pk
    return rows


def _bodies(html: str) -> list[str]:
    return [_TOKEN.sub("TOKEN", body) for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S)]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def queue(host, clock):
    """A queue with every kind of row: overdue, mine, someone else's, nobody's, a
    handler known only by e-mail, names that need escaping, closed both ways."""
    member = give_role(UserFactory(first_name="Lotte", last_name="Visser"), Role.MEDEWERKER)
    colleague = give_role(UserFactory(first_name="Karim", last_name="Bouali"), Role.MEDEWERKER)
    nameless = give_role(
        UserFactory(first_name="", last_name="", email="o'brien@example.org"), Role.MEDEWERKER
    )
    team = TeamFactory(name="Team Wonen", members=[member, colleague, nameless])
    hub = HubFactory(name="Oost & <West>")
    topic = TopicFactory(name="Huur & service", parent=TopicFactory(name="Wonen"))
    clock.move_to(NOW - dt.timedelta(days=20))
    late = make_callback(hub=hub, team=team, user=host, topic=topic)
    clock.move_to(NOW)
    made = [make_callback(hub=hub, team=team, user=host) for _ in range(6)]
    callback_claim(callback_id=made[0].pk, user=member)
    callback_claim(callback_id=made[1].pk, user=colleague)
    callback_claim(callback_id=made[2].pk, user=nameless)
    for callback, who in ((made[3], member), (made[4], nameless)):
        callback_claim(callback_id=callback.pk, user=who)
        callback_complete(callback_id=callback.pk, user=who, result="klaar")
    # Closed without anyone having claimed it (an old import): "—" as its handler.
    CallbackRequest.objects.filter(pk=made[5].pk).update(
        status=CallbackStatus.UNREACHABLE, closed_at=NOW - dt.timedelta(hours=30)
    )
    # A reference that must be escaped in the page and quoted in the address.
    CallbackRequest.objects.filter(pk=late.pk).update(reference='T<&"1ä')
    return team, member


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_the_rows_are_those_the_template_drew(client, queue, coordinator, who):
    team, member = queue
    viewer = member if who == "member" else coordinator
    client.force_login(viewer)
    response = client.get(reverse("questions:team_queue", args=[team.pk]))
    # The old loop, drawn in the language the page was drawn in (Dutch).
    with translation.override("nl"):
        today = timezone.localdate()
        callbacks = CallbackRequest.objects.filter(team=team)
        context = {
            "rows": _old_rows(
                callbacks.filter(status__in=OPEN_STATUSES), ["due_date", "pk"], viewer, today
            ),
            "closed": _old_rows(
                callbacks.exclude(status__in=OPEN_STATUSES), ["-closed_at", "-pk"], viewer, today
            ),
            "is_member": who == "member",
            "csrf_token": "TOKEN",
        }
        engine = engines["django"]
        old_open = engine.from_string(OLD_OPEN_ROWS).render(context)
        old_closed = engine.from_string(OLD_CLOSED_ROWS).render(context)
    assert response.status_code == 200
    new_open, new_closed = _bodies(response.content.decode())
    assert len(context["rows"]) == 4 and len(context["closed"]) == 3
    assertHTMLEqual(new_open, _TOKEN.sub("TOKEN", old_open))
    assertHTMLEqual(new_closed, old_closed)
    assert "<strong>te laat</strong>" in new_open
    # The escaping itself, as seen in the page.
    assert "T&lt;&amp;&quot;1ä" in new_open and "Oost &amp; &lt;West&gt;" in new_open
    assert ("btn-sm" in new_open) is (who == "member")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_written_as_the_date_filter_writes_them(language):
    """Every day of a year (both daylight saving switches included), in the
    page's time zone, as ``date:"D j b"`` and ``date:"j b Y H:i"`` write them."""
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        dates = _Dates()
        day = dt.date(2026, 1, 1)
        while day.year == 2026:
            assert dates.day_month(day) == date_format(day, "D j b")
            for hour, minute in ((0, 5), (1, 30), (22, 59), (23, 0)):
                moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)
                local = timezone.localtime(moment)
                assert dates.moment(moment) == date_format(local, "j b Y H:i")
            day += dt.timedelta(days=1)
