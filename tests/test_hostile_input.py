"""Hostile input to every form of the portal (issue 8), property-based.

The forms are not picked by hand: every URL of the project (as in the permission
matrix) is opened by every role that may see it, plus a few pages that only show a
form in some state (a claimed callback, a proposal under discussion, a started
dagdeel, the login and password pages, ...). Every ``<form>`` found there, and every
link with a query string, is sent a few "broadsides" (one hostile value in every
field at once: a NUL byte, 10,000 characters, a number beyond any column, 30 February,
a script) and then hypothesis-drawn input: very long strings, odd unicode, HTML and
script, SQL fragments, wrong types, impossible dates, values not among the options,
left-out and repeated fields. See tests/hostile/ for the form reader, the values and
the checks:

1. never a server error, nor an exception escaping a view;
2. a script payload never reaches an HTML page unescaped;
3. on a validation error every value that was typed is in the form shown again (for
   submissions a person could make in a browser; forged ones are checked for 1 and 2).

A second test fills every form with free text in once, as a person would but with a
script in each text field, keeps it all, and then opens every page of every role.

Each form is tried by one role: for a POST the first role of ``POST_TESTERS`` that
POST_ALLOWED lets send it, for a GET the first of ``GET_TESTERS`` that may open the
page. A POST URL that its role cannot find a form for fails the test, and so does a
form of the library (allauth, i18n) without an entry in ``LIBRARY_TESTERS``.

Hypothesis runs derandomized and without an example database, so CI is repeatable.
It tries 8 examples per form (``HOSTILE_EXAMPLES=n`` to change that), 40 with
``HYPOTHESIS_PROFILE=ci``. Run with ``-rP`` to see every form tried, its time and
what was sent.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
import traceback

import pytest
import time_machine
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubs.models import ScheduleVersion
from proposals.constants import Status
from proposals.services import proposal_transition
from questions.models import Team, Topic
from questions.services import callback_claim, callback_complete
from scheduling.models import HandoverRequest, Shift, SignUp
from tests import test_permission_matrix as matrix
from tests.factories import (
    PASSWORD,
    ClosureFactory,
    QuestionFactory,
    TeamFactory,
    UserFactory,
    make_callback,
    make_proposal,
    make_shift,
)
from tests.hostile import html as page_html
from tests.hostile.runner import STATS, Found, crawl, lost_input, send, unescaped
from tests.hostile.values import (
    BROADSIDES,
    CURSORS,
    UNESCAPED,
    XSS,
    Submission,
    broadside,
    probe,
    submissions,
)
from tests.test_permission_matrix import EXPECTED, POST_ALLOWED, ROLES, _kwargs, _project_patterns

objects = matrix.objects  # the matrix's fixture: one object of each kind, of ``hub``

FROZEN = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # Monday, 11:00 in Rotterdam

settings.register_profile(
    "hostile-dev",
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "8")),
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile("hostile-ci", settings.get_profile("hostile-dev"), max_examples=40)
PROFILES = {"ci": "hostile-ci"}
PROFILE = settings.get_profile(
    PROFILES.get(os.environ.get("HYPOTHESIS_PROFILE", ""), "hostile-dev")
)

# Who tries which form: the first of these who may (see the module docstring).
POST_TESTERS = ["host", "kcc", "medewerker", "wijkraad", "wijkmanager", "coordinator", "outsider"]
GET_TESTERS = ["anonymous", *POST_TESTERS]
# Forms of Django and allauth that our pages show.
LIBRARY_TESTERS = {
    "set_language": "anonymous",
    "account_login": "anonymous",
    "account_reset_password": "anonymous",
    "account_reset_password_from_key": "anonymous",
    "account_logout": "host",
    "account_change_password": "host",
    "account_email": "host",
    "account_reauthenticate": "host",
    "mfa_activate_totp": "host",
}
# The broadsides (tests/hostile/values.py) also sent into hidden fields and selects.
FORGED_BROADSIDES = ("nul", "huge")
# Files, feeds and exports: no forms on them, and some are slow to make.
NOT_PAGES = (".ics", ".json", ".csv", "<str:fmt>")


# --- the portal with a form in every state -------------------------------------------------


@pytest.fixture
def world(cast, hub, objects, settings):
    """Extra pages per role where forms appear only in a certain state."""
    settings.ACCOUNT_RATE_LIMITS = False  # hypothesis logs in far more often than 10/m
    with time_machine.travel(FROZEN, tick=False):
        return _world(cast, hub, objects)


def _world(cast, hub, objects) -> dict[str, list[str]]:
    host, kcc, medewerker = cast["host"], cast["kcc"], cast["medewerker"]
    today = FROZEN.date()

    # A dagdeel going on now with the host in it: attendance can be recorded.
    started = make_shift(hub=hub, day=today)
    _place(started, host)
    # This week: a dagdeel with room (sign up), a full one (waitlist), and a colleague's
    # place offered for hand-over.
    make_shift(hub=hub, day=today + dt.timedelta(days=2))
    _place(make_shift(hub=hub, day=today + dt.timedelta(days=3), min_staff=1, max_staff=1), kcc)
    offered = _place(make_shift(hub=hub, day=today + dt.timedelta(days=4)), medewerker)
    HandoverRequest.objects.create(signup=offered)

    # Callbacks: one claimed by the KCC (call, complete, release, forward), one done
    # (reopen). Made by the host, for the KCC's team.
    team = Team.objects.get(pk=objects["team"])
    topic = Topic.objects.first()
    claimed = make_callback(hub=hub, team=team, user=host, topic=topic)
    callback_claim(callback_id=claimed.pk, user=kcc)
    done = make_callback(hub=hub, team=team, user=host, topic=topic, phone="0687654321")
    callback_claim(callback_id=done.pk, user=kcc)
    callback_complete(callback_id=done.pk, user=kcc, result="Geholpen")

    TeamFactory(name="Team Wonen")  # somewhere to forward a callback to
    # A page and more of questions: the list links to older ones with a cursor.
    QuestionFactory.create_batch(51, hub=hub, topic=topic, created_by=host)

    # A proposal under discussion: messages, answers, the decision. The proposals want
    # to start on 2027-03-01, so the planned schedule moves a week for a decision to fit.
    ScheduleVersion.objects.filter(pk=objects["version"]).update(valid_from=dt.date(2027, 3, 8))
    talking = make_proposal(hub, cast["wijkraad"], submit=True, desired_start=dt.date(2027, 3, 1))
    proposal_transition(
        proposal_id=talking.pk,
        user=cast["coordinator"],
        to=Status.IN_CONVERSATION,
        expected=Status.SUBMITTED,
    )
    talking_url = reverse("proposals:detail", args=[talking.pk])

    # As an invitation leaves it: allauth lets only a verified address set up two-factor.
    EmailAddress.objects.create(user=host, email=host.email, primary=True, verified=True)
    invited = UserFactory(password=None)  # has not chosen a password: may be invited again
    citywide = ClosureFactory(
        hub=None, start_date=dt.date(2026, 12, 28), end_date=dt.date(2026, 12, 29)
    )
    reset_key = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(host),
            "key": default_token_generator.make_token(host),
        },
    )
    desk = reverse("questions:desk", args=[hub.slug])
    return {
        "anonymous": [
            reverse("account_login"),
            reverse("account_reset_password"),
            reset_key,
        ],
        "host": [
            reverse("scheduling:shift_detail", args=[started.pk]),
            reverse("questions:callback_detail", args=[done.reference]),
            f"{desk}?q=parkeren",
            f"{reverse('questions:kb_search')}?hub={hub.slug}&q=parkeren",
            reverse("account_change_password"),
            reverse("account_email"),
            reverse("mfa_index"),
            reverse("account_reauthenticate"),
        ],
        "kcc": [
            reverse("questions:callback_detail", args=[claimed.reference]),
            f"{reverse('questions:gap_list')}?oplossen={objects['gap']}",
        ],
        "wijkraad": [talking_url],
        "wijkmanager": [talking_url, reverse("scheduling:shift_detail", args=[started.pk])],
        "coordinator": [
            talking_url,
            reverse("users:edit", args=[invited.pk]),
            f"{reverse('audit:data_request')}?q=0612345678&request_ref=AVG-2026-1",
            f"{reverse('manage:citywide_closures')}?wijzig={citywide.pk}",
        ],
    }


def _place(shift: Shift, user) -> SignUp:
    signup = SignUp.objects.create(shift=shift, user=user, date=shift.date, dagdeel=shift.dagdeel)
    Shift.objects.filter(pk=shift.pk).update(confirmed_count=F("confirmed_count") + 1)
    return signup


def _pages(role: str, objects: dict, world: dict) -> list[str]:
    """Every project page the role may open (the permission matrix's 200s), and more."""
    urls = [
        reverse(name, kwargs=_kwargs(name, route, objects))
        for name, route in _project_patterns()
        if EXPECTED[name][role] == 200 and not any(part in route for part in NOT_PAGES)
    ]
    return urls + world.get(role, [])


def _prepare(client, role: str) -> list[str]:
    """Pages that need a step in the user's own session first."""
    if role == "host":
        # Setting up two-factor asks for the password again, even right after a login.
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        return [reverse("mfa_activate_totp")]
    if role != "coordinator":
        return []
    upload = SimpleUploadedFile(
        "nieuw.csv",
        b"name,email,cluster,roles,hubs\nNieuwe Collega,nieuw@example.org,,medewerker,\n",
        content_type="text/csv",
    )
    response = client.post(reverse("users:import"), {"file": upload})
    assert response.status_code == 302, "the import preview needs a valid upload"
    return [response["Location"]]  # the preview, with its confirm form


def _login(client, cast, role: str) -> None:
    """Through the login form, as a person logs in (allauth records how)."""
    if role == "anonymous":
        return
    response = client.post(
        reverse("account_login"), {"login": cast[role].email, "password": PASSWORD}
    )
    assert response.status_code == 302, f"{role} could not log in"


# --- who tries which form ------------------------------------------------------------------


def _tester(found: Found) -> str | None:
    if found.target in LIBRARY_TESTERS:
        return LIBRARY_TESTERS[found.target]
    if found.method == "post":
        allowed = POST_ALLOWED.get(found.target, set())
        return next((role for role in POST_TESTERS if role in allowed), None)
    answers = EXPECTED.get(found.target, {})
    return next((role for role in GET_TESTERS if answers.get(role) in (200, 302)), None)


def _assigned(found: list[Found], role: str) -> tuple[list[Found], list[str]]:
    """The role's share of ``found`` (one of each kind) and the forms nobody tries."""
    mine, seen, orphans = [], set(), []
    for item in found:
        who = _tester(item)
        if who is None:
            orphans.append(f"nobody tries {item.describe()}: add it to LIBRARY_TESTERS")
        elif who == role and item.key() not in seen:
            seen.add(item.key())
            mine.append(item)
    return mine, orphans


def _exercise(client, found: Found, capture) -> list[str]:
    """A broadside of each kind, then hypothesis, against one form; the problems (the
    shrunk failing example for hypothesis) as messages."""
    failures = []
    broadsides = list(itertools.product(BROADSIDES.items(), (False, True)))
    if found.is_link:  # where the "older" links carry their cursors
        broadsides += [((f"cursor {value}", value), True) for value in CURSORS]
    for (kind, value), forged in broadsides:
        if forged and kind not in FORGED_BROADSIDES and not kind.startswith("cursor"):
            continue
        problems = send(client, found, broadside(found.form, value, forged=forged), capture)
        if problems:
            where = "every field" if forged else "every typed field"
            failures.append(f"{found.describe()}\n{kind} in {where}:\n" + "\n".join(problems))

    @settings(PROFILE)
    @given(data=st.data())
    def hostile(data):
        submission = data.draw(submissions(found.form), label="submission")
        problems = send(client, found, submission, capture)
        assert not problems, "\n".join(problems)

    try:
        hostile()
    except Exception as exc:  # reported per form, so one broken form hides no other
        failures.append(f"{found.describe()}\n{''.join(traceback.format_exception(exc))[-4000:]}")
    return failures


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.travel(FROZEN, tick=False)
@pytest.mark.parametrize("role", ROLES)
def test_every_form_survives_hostile_input(
    client,
    cast,
    objects,
    world,
    role,
    django_capture_on_commit_callbacks,
):
    _login(client, cast, role)
    urls = _pages(role, objects, world) + _prepare(client, role)
    found, _pages_seen = crawl(client, role, urls)
    mine, failures = _assigned(found, role)

    # Every POST URL (and library form) this role tries must be on one of its pages.
    posted = {item.target for item in mine if item.method == "post"}
    expected = {name for name, who in LIBRARY_TESTERS.items() if who == role}
    for name, allowed in POST_ALLOWED.items():
        if next((r for r in POST_TESTERS if r in allowed), None) == role:
            expected.add(name)
    for name in sorted(expected - posted):
        failures.append(f"no form posting to {name} found for {role}: add a page to world")

    STATS.clear()
    for item in mine:
        started = time.monotonic()
        failures += _exercise(client, item, django_capture_on_commit_callbacks)
        print(f"{time.monotonic() - started:5.1f}s {item.describe()}")  # shown with -rP
    print(dict(STATS))
    assert not failures, f"{len(failures)} problem(s):\n\n" + "\n\n".join(failures)


@pytest.mark.travel(FROZEN, tick=False)
def test_stored_script_is_escaped_on_every_page(
    cast,
    objects,
    world,
    django_capture_on_commit_callbacks,
):
    """Every form with free text is filled in once as a person would, with a script
    in each text field, and kept; then every page of every role (and every e-mail
    sent meanwhile) must show the scripts escaped."""
    clients, pages = {}, {}
    found: list[Found] = []
    for role in ROLES:
        clients[role] = Client()
        _login(clients[role], cast, role)
        urls = _pages(role, objects, world) + _prepare(clients[role], role)
        role_found, pages[role] = crawl(clients[role], role, urls)
        found += _assigned(role_found, role)[0]

    problems, stored = [], []
    for item in found:
        if item.is_link or not any(
            f.kind in ("text", "search", "textarea") for f in item.form.fields
        ):
            continue
        outcome = _probe(clients[item.role], item, django_capture_on_commit_callbacks)
        print(f"{outcome:>14}: {item.describe()}")  # shown with -rP
        if outcome == "stored":
            stored.append(item.target)
        elif outcome not in ("refused", "shown"):
            problems.append(f"{item.describe()}: {outcome}")

    for role in ROLES:
        for url in pages[role]:
            response = clients[role].get(url)
            if response.status_code >= 500:
                problems.append(f"{url} answered {response.status_code} to {role}")
            raw = unescaped(response)
            if raw:
                problems.append(f"unescaped payload on {url} for {role}: …{raw}…")
    for message in mail.outbox:
        for body, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html" and UNESCAPED.search(body):
                problems.append(f"unescaped payload in the e-mail {message.subject!r}")

    assert not problems, "\n".join(problems)
    # The check is only as good as what was stored: most text forms must take the probe.
    assert len(set(stored)) >= 30, f"only these forms stored the probe: {sorted(set(stored))}"


def _probe(client, found: Found, capture) -> str:
    """Sends ``probe(form)``; on field errors once more without those fields."""
    avoid: frozenset[str] = frozenset()
    for _attempt in range(3):
        submission = probe(found.form, avoid)
        with capture(execute=True):
            response = _send_plain(client, found, submission)
        if response.status_code >= 500:
            return f"answered {response.status_code}"
        final = client.get(response["Location"]) if response.status_code == 302 else response
        raw = unescaped(response) or unescaped(final)
        if raw:
            return f"unescaped payload: …{raw}…"
        if found.method == "get":
            return "shown"  # a search or filter stores nothing; its answer was checked
        text = final.content.decode(errors="replace")
        if "is-invalid" not in text and "alert-danger" not in text:
            return "stored"
        refused = {
            field.name
            for form in page_html.parse(text).forms
            for field in form.fields
            if "is-invalid" in field.attrs.get("class", "")
        }
        if not refused or refused <= avoid:
            return "refused"
        avoid = avoid | refused
    return "refused"


def _send_plain(client, found: Found, submission: Submission):
    if found.method == "get":
        return client.get(found.url, submission.as_data())
    return client.post(found.url, submission.as_data())


# --- the instruments themselves ------------------------------------------------------------


def test_form_reader_submits_like_a_browser():
    page = page_html.parse(
        """
        <form id="search" method="get" action="/zoek/"></form>
        <form method="post" action="/bewaar/">
          <input type="hidden" name="csrfmiddlewaretoken" value="t">
          <input name="q" form="search" value="a &amp; b">
          <textarea name="note">\neerste regel</textarea>
          <select name="topic"><option value="1">Een</option><option>Twee</option></select>
          <select name="tags" multiple><option selected>x</option><option>y</option></select>
          <input type="checkbox" name="ok" checked><input type="text" name="off" disabled>
          <button name="save">Bewaar</button>
          <button formaction="/hiaat/">Geen antwoord</button>
        </form>
        """
    )
    search, post = page.forms
    assert [(f.name, f.value) for f in search.fields] == [("q", "a & b")]
    values = {f.name: f.browser_values() for f in post.fields}
    assert values == {
        "csrfmiddlewaretoken": ["t"],
        "note": ["eerste regel"],
        "topic": ["1"],
        "tags": ["x"],
        "ok": ["on"],
    }
    assert sorted(v.action for v in post.variants()) == ["/bewaar/", "/hiaat/"]


@pytest.mark.parametrize("payload", XSS)
def test_detector_sees_a_raw_payload_and_not_an_escaped_one(payload):
    from django.utils.html import escape

    assert UNESCAPED.search(f'<p>{payload}</p><a href="{payload}">x</a>')
    assert not UNESCAPED.search(f'<p>{escape(payload)}</p><a href="{escape(payload)}">x</a>') or (
        payload.startswith("javascript:")  # escaping does not defuse a javascript: link
    )


def test_lost_input_is_noticed_on_a_form_shown_again_with_an_error():
    from django.http import HttpResponse

    form = page_html.parse(
        '<form method="post" action="/beheer/onderwerpen/"><input name="name"></form>'
    ).forms[0]
    found = Found(
        "coordinator", "/beheer/onderwerpen/", "questions:topics", "/beheer/onderwerpen/", form
    )
    typed = Submission(pairs=[("name", "<b>x</b>")], tampered=False, typed={"name": "<b>x</b>"})
    page = (
        '<div class="alert-danger">!</div><form method="post"><input name="name" value="{}"></form>'
    )

    kept = HttpResponse(page.format("&lt;b&gt;x&lt;/b&gt;"))
    lost = HttpResponse(page.format(""))
    assert lost_input(kept, "/beheer/onderwerpen/", found, typed) == []
    assert lost_input(lost, "/beheer/onderwerpen/", found, typed) == [
        "'name' typed '<b>x</b>' but shown ''"
    ]
