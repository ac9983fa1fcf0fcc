"""The AVG access log: who was shown which resident's details, when, on which page."""

import datetime as dt

import pytest
from django.urls import reverse

from questions.models import PersonalDataAccess
from questions.services import personal_data_viewed
from tests.factories import TeamFactory, UserFactory, make_callback

pytestmark = pytest.mark.django_db

URL = reverse("questions:access_log")


@pytest.fixture
def viewer():
    return UserFactory(email="lotte@example.org", first_name="Lotte")


@pytest.fixture
def callback(hub, host, viewer):
    return make_callback(hub=hub, user=host, team=TeamFactory(members=[viewer]))


def test_viewing_a_callback_shows_up_in_the_log(client, callback, viewer, coordinator):
    client.force_login(viewer)
    client.get(callback.get_absolute_url())
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.user, row.callback, row.purpose) == (viewer, callback, "detail")
    html = response.content.decode()
    assert "lotte@example.org" in html and callback.reference in html
    assert "Jan Jansen" not in html  # the log itself shows no resident's data


def test_filter_by_reference_and_by_user(client, hub, host, callback, viewer, coordinator):
    other = make_callback(hub=hub, user=host)
    someone = UserFactory(email="karim@example.org")
    personal_data_viewed(callback=callback, user=viewer, purpose="detail")
    personal_data_viewed(callback=other, user=someone, purpose="detail")
    client.force_login(coordinator)

    def rows(**params):
        return {
            (r.user.email, r.callback.reference) for r in client.get(URL, params).context["rows"]
        }

    assert rows(reference=callback.reference.lower()) == {("lotte@example.org", callback.reference)}
    assert rows(user="karim") == {("karim@example.org", other.reference)}
    assert rows(reference="TB-NONE-00") == set()
    assert len(rows()) == 2


def test_pages_do_not_repeat_or_skip(client, callback, viewer, coordinator):
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(callback=callback, user=viewer, purpose="detail") for _ in range(120)
    )
    client.force_login(coordinator)
    seen, params = [], {}
    for _ in range(5):
        response = client.get(URL, params)
        seen += [r.pk for r in response.context["rows"]]
        if not response.context["next_cursor"]:
            break
        params = {"after": response.context["next_cursor"]}
    assert len(seen) == len(set(seen)) == 120


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_log_costs_the_same_queries_at_10_and_10000(
    client, callback, viewer, coordinator, size, django_assert_num_queries
):
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(callback=callback, user=viewer, purpose="detail") for _ in range(size)
    )
    client.force_login(coordinator)
    # 4 queries: session, user, roles, one page of the log (user and callback joined in).
    # No COUNT over the table.
    with django_assert_num_queries(4):
        response = client.get(URL, {"after": f"{10**16}_{10**9}"})  # a cursor, as on page 2
    assert len(response.context["rows"]) == min(size, 50)


@pytest.mark.parametrize("who", ["host", "wijkmanager", "kcc", "medewerker", "outsider", "viewer"])
def test_only_coordinators_see_the_log(client, request, callback, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_a_forged_cursor_shows_the_first_page(client, coordinator):
    client.force_login(coordinator)
    for cursor in ("abc", "1_", "_1", f"{10**30}_1", "-5_-5"):
        assert client.get(URL, {"after": cursor}).status_code == 200


def test_the_log_refuses_post(client, coordinator):
    client.force_login(coordinator)
    assert client.post(URL).status_code == 405


def test_a_purged_callback_is_not_logged_again(client, callback, viewer):
    callback.purge(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    client.force_login(viewer)
    client.get(callback.get_absolute_url())
    assert not PersonalDataAccess.objects.exists()
