"""Every URL of the project, asked by every role: the answer each one must get.

A URL pattern without an entry in EXPECTED fails the test, so a new page cannot
ship without deciding who may see it. Django's admin and allauth's own pages are
checked separately at the bottom (their access rules are theirs).

Codes: 200 = the page; 403 = forbidden; 404 = not found for this user;
405 = wrong method (shown for POST-only URLs asked with GET); "login" = redirect
to the login page.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from proposals.services import proposal_attachment_add
from questions.models import KnowledgeGap
from scheduling.models import CalendarFeed, ClusterOffer, HandoverRequest, SignUp
from tests.factories import (
    ArticleFactory,
    ClosingDayFactory,
    ClosureFactory,
    ClusterFactory,
    MobileStopFactory,
    QuestionFactory,
    ReferralTargetFactory,
    ScheduleVersionFactory,
    TeamFactory,
    TopicFactory,
    make_callback,
    make_proposal,
    make_shift,
)

ROLES = [
    "anonymous",
    "host",
    "medewerker",
    "kcc",
    "wijkmanager",
    "wijkraad",
    "coordinator",
    "outsider",
]
EVERYONE = dict.fromkeys(ROLES, 200)
LOGIN_ONLY = {"anonymous": "login"}


def _only(allowed: set[str], allowed_code=200, others=403) -> dict:
    """``allowed`` roles get ``allowed_code``; other staff ``others``; anonymous login."""
    return {
        role: "login" if role == "anonymous" else (allowed_code if role in allowed else others)
        for role in ROLES
    }


def _post_only(allowed: set[str]) -> dict:
    """A POST-only URL: a GET is 405 for every member of staff (the method is checked
    first), anonymous users go to login. POSTs are checked in POST_EXPECTED."""
    return _only(set(ROLES), 405)


MANAGERS_OF_HUB = {"wijkmanager", "coordinator"}
ANY_MANAGER = {"wijkmanager", "coordinator", "outsider"}
COORDINATOR = {"coordinator"}
STAFF = set(ROLES) - {"anonymous"}
ROSTER_USERS = STAFF - {"wijkraad"}
DESK_OF_HUB = {"host", "wijkmanager", "kcc", "coordinator"}
DESK_USERS = DESK_OF_HUB | {"outsider"}
KB_EDITORS = {"kcc", "coordinator"}
PROPOSAL_READERS = {"wijkraad", "wijkmanager", "coordinator", "outsider"}

# url name -> expected answer per role
EXPECTED = {
    "home": EVERYONE,
    "set_language": dict.fromkeys(ROLES, 302),
    "public:hub_list": EVERYONE,
    "public:opening_json": EVERYONE,
    "public:hub_detail": EVERYONE,
    "public:hub_ical": EVERYONE,
    "manage:index": _only(ANY_MANAGER),
    "manage:hub_list": _only(ANY_MANAGER),
    "manage:hub_create": _only(COORDINATOR),
    "manage:hub_edit": _only(MANAGERS_OF_HUB),
    "manage:schedule_list": _only(MANAGERS_OF_HUB),
    "manage:schedule_create": _only(MANAGERS_OF_HUB),
    "manage:schedule_edit": _only(MANAGERS_OF_HUB),
    "manage:schedule_delete": _post_only(MANAGERS_OF_HUB),
    "manage:closure_list": _only(MANAGERS_OF_HUB),
    "manage:closure_edit": _only(MANAGERS_OF_HUB),
    "manage:closure_delete": _post_only(MANAGERS_OF_HUB),
    "manage:stop_list": _only(COORDINATOR),  # the mobile hub has no wijkmanager here
    "manage:stop_delete": _post_only(COORDINATOR),
    "manage:closing_days": _only(COORDINATOR),
    "manage:closing_day_edit": _only(COORDINATOR),
    "manage:citywide_closures": _only(COORDINATOR),
    "manage:norm": _only(ANY_MANAGER),
    "users:list": _only(COORDINATOR),
    "users:create": _only(COORDINATOR),
    "users:import": _only(COORDINATOR),
    "users:edit": _only(COORDINATOR),
    "users:invite": _post_only(COORDINATOR),
    "scheduling:week": _only(ROSTER_USERS),
    "scheduling:signup": _post_only(ROSTER_USERS),
    "scheduling:waitlist": _post_only(ROSTER_USERS),
    "scheduling:cancel": _post_only(ROSTER_USERS),
    "scheduling:mine": _only(ROSTER_USERS),
    "scheduling:handovers": _only(ROSTER_USERS),
    "scheduling:handover_take": _post_only(ROSTER_USERS),
    "scheduling:handover_withdraw": _post_only(ROSTER_USERS),
    "scheduling:feed": EVERYONE,  # the secret token is the key; tested in scheduling
    "scheduling:feed_reset": _post_only(ROSTER_USERS),
    "scheduling:coverage": _only(ANY_MANAGER),
    "scheduling:coverage_csv": _only(ANY_MANAGER),
    "scheduling:shift_detail": _only(MANAGERS_OF_HUB | {"host"}),
    "scheduling:shift_staffing": _post_only(MANAGERS_OF_HUB),
    "scheduling:attendance": _post_only(MANAGERS_OF_HUB | {"host"}),
    "scheduling:offers": _only(COORDINATOR),
    "scheduling:offer_delete": _post_only(COORDINATOR),
    "scheduling:cluster_report": _only(ANY_MANAGER),
    "scheduling:generate": _post_only(COORDINATOR),
    # The desk: hosts and wijkmanagers of the hub, KCC staff and coordinators everywhere.
    # With one hub to choose from, /balie/ goes straight to it.
    "questions:desk_choose": {
        **_only({"kcc", "coordinator"}),
        "host": 302,
        "wijkmanager": 302,
        "outsider": 302,
    },
    "questions:desk": _only(DESK_OF_HUB),
    "questions:desk_repeat": _post_only(DESK_OF_HUB),
    "questions:gap_create": _post_only(DESK_OF_HUB),
    "questions:question_edit": _only({"host"}),  # its author, for a short while
    "questions:question_list": _only(ANY_MANAGER),
    "questions:topics": _only(COORDINATOR),
    "questions:topic_edit": _only(COORDINATOR),
    "questions:referrals": _only(ANY_MANAGER),
    "questions:referral_edit": _only(MANAGERS_OF_HUB),
    "questions:callback_create": _only(DESK_OF_HUB),
    "questions:callbacks_sent": _only(DESK_USERS),
    # A callback exists only for those involved: everyone else gets 404.
    "questions:callback_detail": _only({"host", "wijkmanager", "kcc", "coordinator"}, others=404),
    "questions:callback_slip": _only({"host", "wijkmanager", "kcc"}, others=404),
    "questions:callback_claim": _post_only(set()),
    "questions:callback_release": _post_only(set()),
    "questions:callback_attempt": _post_only(set()),
    "questions:callback_complete": _post_only(set()),
    "questions:callback_forward": _post_only(set()),
    "questions:callback_reopen": _post_only(set()),
    "questions:teams": _only(ROSTER_USERS),  # the queues of your teams, if any
    "questions:team_queue": _only({"kcc", "coordinator"}),
    "questions:team_admin": _only(COORDINATOR),
    "questions:team_edit": _only(COORDINATOR),
    "questions:access_log": _only(COORDINATOR),
    "audit:log": _only(COORDINATOR),
    "audit:data_request": _only(COORDINATOR),
    "audit:data_export": _only(COORDINATOR, 302),  # without a search: back to the form
    "audit:data_erase": _post_only(COORDINATOR),
    "questions:kb_search": _only(ROSTER_USERS),
    "questions:article_detail": _only(ROSTER_USERS),
    "questions:article_create": _only(KB_EDITORS),
    "questions:article_edit": _only(KB_EDITORS),
    "questions:gap_list": _only(KB_EDITORS),
    "questions:gap_resolve": _post_only(KB_EDITORS),
    # Wijkraad proposals: the hub's wijkraad and the city (coordinators, the hub's
    # wijkmanagers). Proposals of another wijk do not exist for you (404).
    "proposals:list": _only(PROPOSAL_READERS),
    "proposals:create": _only({"wijkraad"}),
    "proposals:detail": _only({"wijkraad", "wijkmanager", "coordinator"}, others=404),
    "proposals:edit": _only({"wijkraad"}, others=404),  # a draft: only its wijkraad knows it
    "proposals:transition": _post_only(set()),
    "proposals:message": _post_only(set()),
    "proposals:answer_draft": _post_only(set()),
    "proposals:decide": _post_only(set()),
    "proposals:publication": _post_only(set()),
    "proposals:attachment_add": _post_only(set()),
    # A file of the submitted proposal: for those who may see the proposal, else 404.
    "proposals:attachment_download": _only({"wijkraad", "wijkmanager", "coordinator"}, others=404),
    "proposals:attachment_remove": _post_only(set()),
    # Reports: a wijkmanager her hubs (and a gebied whose every hub is hers), coordinators
    # everything. Staff without reports are sent from the index to their week summary.
    "reports:index": {**_only(ANY_MANAGER), "host": 302, "medewerker": 302, "kcc": 302},
    "reports:week": _only(ROSTER_USERS),
    "reports:city": _only(COORDINATOR),
    "reports:city_export": _only(COORDINATOR),
    "reports:gebied": _only(MANAGERS_OF_HUB),
    "reports:gebied_export": _only(MANAGERS_OF_HUB),
    "reports:hub": _only(MANAGERS_OF_HUB),
    "reports:hub_export": _only(MANAGERS_OF_HUB),
}

# Namespaces whose pages belong to a library; tested below for the basics only.
LIBRARY_NAMESPACES = ("admin",)
LIBRARY_PREFIXES = ("accounts/",)


def _project_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
            route = prefix + str(entry.pattern)
            if ns in LIBRARY_NAMESPACES or route.startswith(LIBRARY_PREFIXES):
                continue
            yield from _project_patterns(entry, route, full_ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith(LIBRARY_PREFIXES) or route.lstrip("^").startswith("static/"):
                continue  # static files are served by whitenoise in production
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, route


@pytest.fixture
def objects(hub, cast, settings, tmp_path):
    """One object of each kind the URLs take, all belonging to ``hub``."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the attachment's file goes there
    future = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2027, 3, 1))
    closure = ClosureFactory(hub=hub)
    stop = MobileStopFactory(date=dt.date(2026, 12, 1))
    closing_day = ClosingDayFactory()
    shift = make_shift(hub=hub, day=dt.date(2026, 12, 7))
    signup = SignUp.objects.create(
        shift=shift, user=cast["host"], date=shift.date, dagdeel=shift.dagdeel
    )
    handover = HandoverRequest.objects.create(signup=signup)
    offer = ClusterOffer.objects.create(
        shift=shift, cluster=ClusterFactory(), places=1, release_at=shift.starts_at
    )
    feed = CalendarFeed.objects.create(user=cast["host"])
    team = TeamFactory(members=[cast["kcc"]])
    callback = make_callback(hub=hub, team=team, user=cast["host"])
    # Five minutes before the frozen "now" of the tests below: still correctable.
    question = QuestionFactory(
        hub=hub, created_by=cast["host"], created_at=dt.datetime(2026, 11, 23, 9, 55, tzinfo=dt.UTC)
    )
    topic = TopicFactory(name="Wonen")
    referral = ReferralTargetFactory(all_hubs=False)
    referral.hubs.add(hub)
    article = ArticleFactory()
    gap = KnowledgeGap.objects.create(hub=hub, search_terms="parkeren")
    draft = make_proposal(hub, cast["wijkraad"], desired_start=dt.date(2027, 3, 1))
    submitted = make_proposal(hub, cast["wijkraad"], submit=True, desired_start=dt.date(2027, 3, 1))
    attachment = proposal_attachment_add(
        proposal_id=submitted.pk,
        user=cast["wijkraad"],
        upload=SimpleUploadedFile("petitie.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    return {
        "slug": hub.slug,
        "gebied": hub.gebied.slug,
        "version": future.pk,
        "closure": closure.pk,
        "stop": stop,
        "closing_day": closing_day.pk,
        "user": cast["host"].pk,
        "shift": shift.pk,
        "signup": signup.pk,
        "handover": handover.pk,
        "offer": offer.pk,
        "token": feed.token,
        "team": team.pk,
        "reference": callback.reference,
        "question": question.pk,
        "topic": topic.pk,
        "referral": referral.pk,
        "article": article.pk,
        "gap": gap.pk,
        "draft": draft.pk,
        "proposal": submitted.pk,
        "attachment": attachment.pk,
    }


def _kwargs(name: str, route: str, objects: dict) -> dict:
    kwargs = {}
    if "<slug:slug>" in route:
        kwargs["slug"] = (
            objects["stop"].hub.slug if name.startswith("manage:stop") else objects["slug"]
        )
        if name.startswith("reports:gebied"):
            kwargs["slug"] = objects["gebied"]
    if "<slug:table>" in route:
        kwargs.update(table="kerncijfers", fmt="csv")
    if "<int:pk>" in route:
        kwargs["pk"] = {
            "manage:schedule_edit": objects["version"],
            "manage:schedule_delete": objects["version"],
            "manage:closure_edit": objects["closure"],
            "manage:closure_delete": objects["closure"],
            "manage:stop_delete": objects["stop"].pk,
            "manage:closing_day_edit": objects["closing_day"],
            "users:edit": objects["user"],
            "users:invite": objects["user"],
            "scheduling:signup": objects["shift"],
            "scheduling:waitlist": objects["shift"],
            "scheduling:shift_detail": objects["shift"],
            "scheduling:shift_staffing": objects["shift"],
            "scheduling:attendance": objects["shift"],
            "scheduling:cancel": objects["signup"],
            "scheduling:handover_take": objects["handover"],
            "scheduling:handover_withdraw": objects["handover"],
            "scheduling:offer_delete": objects["offer"],
            "questions:question_edit": objects["question"],
            "questions:topic_edit": objects["topic"],
            "questions:referral_edit": objects["referral"],
            "questions:team_queue": objects["team"],
            "questions:team_edit": objects["team"],
            "questions:article_detail": objects["article"],
            "questions:article_edit": objects["article"],
            "questions:gap_resolve": objects["gap"],
            "proposals:detail": objects["proposal"],
            "proposals:edit": objects["draft"],
            "proposals:transition": objects["proposal"],
            "proposals:message": objects["proposal"],
            "proposals:answer_draft": objects["proposal"],
            "proposals:decide": objects["proposal"],
            "proposals:publication": objects["proposal"],
            "proposals:attachment_add": objects["proposal"],
        }[name]
    if "<int:attachment_id>" in route:
        kwargs["attachment_id"] = objects["attachment"]
    if "<str:reference>" in route:
        kwargs["reference"] = objects["reference"]
    if "<str:token>" in route:
        kwargs["token"] = objects["token"]
    return kwargs


def test_every_project_url_has_an_entry():
    names = {name for name, _ in _project_patterns()}
    missing = names - set(EXPECTED)
    assert not missing, f"add these URLs to EXPECTED: {sorted(missing)}"
    stale = set(EXPECTED) - names
    assert not stale, f"these EXPECTED entries have no URL any more: {sorted(stale)}"


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(client, cast, objects, role):
    if role != "anonymous":
        client.force_login(cast[role])
    failures = []
    for name, route in _project_patterns():
        url = reverse(name, kwargs=_kwargs(name, route, objects))
        response = client.get(url)
        expected = EXPECTED[name][role]
        if expected == "login":
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            )
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{name} {url}: expected {expected}, got {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", "host", "wijkmanager"])
def test_back_office_is_for_coordinators_only(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_login_page_is_public(client, db):
    assert client.get(reverse("account_login")).status_code == 200


# Every URL that takes a POST: who may send one. Everyone else gets 403 (or 404 when
# the object is not theirs to know about), and nothing changes.
POST_ALLOWED = {
    "manage:hub_create": COORDINATOR,
    "manage:hub_edit": MANAGERS_OF_HUB,
    "manage:schedule_create": MANAGERS_OF_HUB,
    "manage:schedule_edit": MANAGERS_OF_HUB,
    "manage:schedule_delete": MANAGERS_OF_HUB,
    "manage:closure_list": MANAGERS_OF_HUB,
    "manage:closure_edit": MANAGERS_OF_HUB,
    "manage:closure_delete": MANAGERS_OF_HUB,
    "manage:stop_list": COORDINATOR,
    "manage:stop_delete": COORDINATOR,
    "manage:closing_days": COORDINATOR,
    "manage:closing_day_edit": COORDINATOR,
    "manage:citywide_closures": COORDINATOR,
    "users:create": COORDINATOR,
    "users:import": COORDINATOR,
    "users:edit": COORDINATOR,
    "users:invite": COORDINATOR,
    # Taking part in the roster is for everyone but wijkraad members; whether *this*
    # person may cancel *this* sign-up is the service's business (tested in scheduling).
    "scheduling:signup": ROSTER_USERS,
    "scheduling:waitlist": ROSTER_USERS,
    "scheduling:cancel": ROSTER_USERS,
    "scheduling:handover_take": ROSTER_USERS,
    "scheduling:handover_withdraw": ROSTER_USERS,
    "scheduling:feed_reset": ROSTER_USERS,
    "scheduling:shift_staffing": MANAGERS_OF_HUB,
    "scheduling:attendance": MANAGERS_OF_HUB | {"host"},
    "scheduling:offers": COORDINATOR,
    "scheduling:offer_delete": COORDINATOR,
    "scheduling:generate": COORDINATOR,
    "questions:desk": DESK_OF_HUB,
    "questions:desk_repeat": DESK_OF_HUB,
    "questions:gap_create": DESK_OF_HUB,
    "questions:question_edit": {"host"},
    "questions:topics": COORDINATOR,
    "questions:topic_edit": COORDINATOR,
    "questions:referrals": ANY_MANAGER,
    "questions:referral_edit": MANAGERS_OF_HUB,
    "questions:callback_create": DESK_OF_HUB,
    # Acting on a callback: only its team (kcc here); the others may not even know it.
    "questions:callback_claim": {"kcc"},
    "questions:callback_release": {"kcc"},
    "questions:callback_attempt": {"kcc"},
    "questions:callback_complete": {"kcc"},
    "questions:callback_forward": {"kcc"},
    "questions:callback_reopen": {"kcc", "host", "wijkmanager"},
    "questions:team_admin": COORDINATOR,
    "questions:team_edit": COORDINATOR,
    "questions:article_create": KB_EDITORS,
    "questions:article_edit": KB_EDITORS,
    "questions:gap_resolve": KB_EDITORS,
    "audit:data_erase": COORDINATOR,
    "proposals:create": {"wijkraad"},
    "proposals:edit": {"wijkraad"},
    # On a submitted proposal: the wijkraad may withdraw it, the city start the talk.
    "proposals:transition": {"wijkraad", "wijkmanager", "coordinator"},
    "proposals:message": {"wijkraad", "wijkmanager", "coordinator"},
    "proposals:answer_draft": {"wijkmanager", "coordinator"},
    "proposals:decide": {"coordinator"},
    "proposals:publication": {"coordinator"},
    # While the proposal is open both sides may add files; only whoever added a file
    # (here the wijkraad) may remove it.
    "proposals:attachment_add": {"wijkraad", "wijkmanager", "coordinator"},
    "proposals:attachment_remove": {"wijkraad"},
}


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize("role", ROLES)
def test_forbidden_posts_are_refused(client, cast, objects, role):
    if role != "anonymous":
        client.force_login(cast[role])
    routes = dict(_project_patterns())
    failures = []
    for name, allowed in POST_ALLOWED.items():
        if role in allowed:
            continue
        url = reverse(name, kwargs=_kwargs(name, routes[name], objects))
        response = client.post(url, {})
        if role == "anonymous":
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            )
        else:
            ok = response.status_code in (403, 404)
        if not ok:
            failures.append(f"POST {name} {url}: got {response.status_code}")
    assert not failures, "\n".join(failures)
