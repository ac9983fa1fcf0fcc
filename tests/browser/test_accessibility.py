"""WCAG 2.1 AA on the main pages of every role, checked by axe-core in Chromium.

For each role the test logs in and opens every item of the portal menu that role
sees (hubs/templatetags/portal.py: a new menu item is checked without touching this
file), every page the management index links to (the same for new management pages),
and the pages under them that the role works with (DETAIL_PAGES; which role may open
which page comes from the permission matrix, tests/test_permission_matrix.py). Some
pages are also checked in a second state: a form sent empty (its error messages), the
desk with a choice made, a roster cell after signing up.

On each page axe-core (tests/vendor/axe-core) runs with the WCAG 2.0/2.1 A and AA
rules, plus its best-practice rules (landmarks, heading order, ...). A WCAG violation
of impact "serious" or "critical" fails the test; everything else it finds is printed
(``pytest -s``) and shown with a failure. Two checks axe does not make fail the test as
well: an element the keyboard reaches without a visible focus indicator (2.4.7, read as
tests/browser/focus.py does), and a page that scrolls sideways on a phone (1.4.10).

axe is added to each browser context with ``add_init_script``: the Content-Security-
Policy forbids inline scripts, but a script injected through the DevTools protocol is
not subject to it (nor is ``page.evaluate``; an init script is compiled once per
context instead of once per page). The pages run under their real CSP, without
``bypass_csp``, so axe sees what a visitor gets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from hubs.constants import Dagdeel
from hubs.templatetags.portal import MENU
from questions.constants import Outcome
from questions.demo import seed_topics
from questions.models import Topic
from questions.services import question_log
from scheduling.services import shifts_sync, signup_create
from tests.browser import focus as focus_ring
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    ClosingDayFactory,
    ClosureFactory,
    ScheduleVersionFactory,
    TeamFactory,
    make_callback,
    make_proposal,
)
from tests.test_permission_matrix import EXPECTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 23 November 2026, 10:00: the hub is open and the roster has this week's shifts.
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS)
AXE_SOURCE = (Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = (1280, 900)
PHONE = (375, 740)
ROLES = ["host", "medewerker", "kcc", "wijkmanager", "wijkraad", "coordinator"]
# Menu items whose page lists further pages to check (one level deep).
INDEX_PAGES = {"manage:index"}


@dataclass(frozen=True)
class Page:
    """A page to check: ``args`` name attributes of the World to reverse the URL with."""

    url_name: str
    args: tuple[str, ...] = ()
    query: str = ""
    sizes: tuple[tuple[int, int], ...] = (DESKTOP,)


# Pages under the menu items, each opened by every role the permission matrix gives a
# 200 for it. The menu items themselves and the management pages are found, not listed.
DETAIL_PAGES = [
    Page("questions:desk", ("hub_slug",), sizes=(DESKTOP, PHONE)),
    Page("questions:callback_create", ("hub_slug",)),
    Page("questions:callbacks_sent"),
    Page("questions:team_queue", ("team",)),
    Page("questions:callback_detail", ("reference",)),
    Page("questions:kb_search", query="?q=paspoort"),
    Page("questions:article_detail", ("article",)),
    Page("questions:article_create"),
    Page("questions:gap_list"),
    Page("scheduling:handovers"),
    Page("scheduling:shift_detail", ("shift",)),
    Page("proposals:detail", ("proposal",)),
    Page("proposals:create", ("hub_slug",)),
    Page("manage:hub_edit", ("hub_slug",)),
    Page("manage:schedule_edit", ("hub_slug", "version")),
    Page("manage:closure_list", ("hub_slug",)),
    Page("users:edit", ("host",)),
    Page("audit:log"),
    Page("audit:data_request"),
    Page("reports:week"),
    Page("reports:hub", ("hub_slug",)),
    Page("reports:city"),
]
# allauth's pages are not in the permission matrix: two-factor set-up is required of
# coordinators and wijkmanagers.
MFA_PAGES = {
    "coordinator": [Page("mfa_index")],
    "wijkmanager": [Page("mfa_index")],
}
PUBLIC_PAGES = [
    Page("public:hub_list", sizes=(DESKTOP, PHONE)),
    Page("public:hub_detail", ("hub_slug",), sizes=(DESKTOP, PHONE)),
    Page("account_login"),
    Page("account_reset_password"),
]


@dataclass
class World:
    """One object of each kind the pages show, at the cast's hub."""

    hub_slug: str
    team: int
    reference: str
    article: int
    shift: int
    proposal: int
    version: int
    host: int


@pytest.fixture
def world(hub, other_hub, cast) -> World:
    seed_topics()
    ClosingDayFactory()
    ClosureFactory(hub=hub)
    future = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2027, 3, 1))
    shifts_sync(last=NOW.date() + dt.timedelta(days=13))
    monday = hub.shifts.get(date=NOW.date(), dagdeel=Dagdeel.OCHTEND)
    thursday = hub.shifts.get(date=NOW.date() + dt.timedelta(days=3), dagdeel=Dagdeel.MIDDAG)
    # The host signed up on the Friday before: at NOW this morning's dagdeel has begun.
    with time_machine.travel(NOW - dt.timedelta(days=3)):
        signup_create(shift_id=monday.pk, user=cast["host"])
    signup_create(shift_id=thursday.pk, user=cast["medewerker"])
    wonen = Topic.objects.get(name="Wonen", parent=None)
    for outcome in (Outcome.ANSWERED, Outcome.CALLBACK):
        question_log(hub=hub, user=cast["host"], topic=wonen, outcome=outcome)
    team = TeamFactory(name="Team Wonen", members=[cast["kcc"]])
    callback = make_callback(hub=hub, team=team, user=cast["host"])
    article = ArticleFactory(
        title="Paspoort aanvragen", body="Een afspraak maakt u via 14010 of de website."
    )
    proposal = make_proposal(hub, cast["wijkraad"], submit=True)
    return World(
        hub_slug=hub.slug,
        team=team.pk,
        reference=callback.reference,
        article=article.pk,
        shift=monday.pk,
        proposal=proposal.pk,
        version=future.pk,
        host=cast["host"].pk,
    )


# --- running axe ---------------------------------------------------------------------------


def _describe(violation: dict) -> str:
    lines = [f"  [{violation['impact']}] {violation['id']}: {violation['help']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"      {' '.join(map(str, node['target']))}: {node['html'][:160]}")
        # The first reason given, e.g. "insufficient color contrast of 2.1 (foreground ...".
        reasons = [check["message"] for check in node["any"] + node["all"] + node["none"]]
        if reasons:
            lines.append(f"        {reasons[0][:200]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@dataclass
class Findings:
    """What axe found on the pages of one test."""

    pages: list[str] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def check(self, page, label: str) -> None:
        results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        self.pages.append(label)
        # Reflow (WCAG 1.4.10), which axe does not test: on a phone the page itself never
        # scrolls sideways (a wide table scrolls inside its own wrapper).
        sideways = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        if page.viewport_size["width"] <= PHONE[0] and sideways > 0:
            self.failing.append(f"{label}\n  [serious] reflow: scrolls {sideways}px sideways")
        # Focus visible (WCAG 2.4.7), which axe does not test either: every element the
        # keyboard reaches gets a ring that stands out.
        unringed = focus_ring.unringed(page)
        if unringed:
            self.failing.append(
                f"{label}\n  [serious] focus-visible: no visible focus indicator on\n      "
                + "\n      ".join(unringed[:5])
            )
        for violation in results["violations"]:
            fails = violation["impact"] in FAILING_IMPACTS and set(violation["tags"]) & set(
                WCAG_TAGS
            )
            (self.failing if fails else self.other).append(f"{label}\n{_describe(violation)}")

    def assert_clean(self, who: str) -> None:
        others = "\n".join(self.other) or "none"
        checked = "\n  ".join(self.pages)
        print(f"\n{who}: {len(self.pages)} pages checked:\n  {checked}\nOther findings: {others}")
        assert self.pages, "no page was checked"
        assert not self.failing, (
            f"{who}: serious or critical WCAG violations:\n"
            + "\n".join(self.failing)
            + f"\nOther findings: {others}"
        )


def _new_page(new_page, size):
    # Without transitions (Bootstrap drops them on request): axe must see the colours a
    # button ends up with, not those halfway through its 0.15 s fade.
    page = new_page(*size, reduced_motion="reduce")
    page.context.add_init_script(AXE_SOURCE)
    return page


def _open(page, url: str):
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


def _url(page: Page, world: World) -> str:
    return reverse(page.url_name, args=[getattr(world, a) for a in page.args]) + page.query


# --- second states: what a page looks like after a step -------------------------------------


def _desk_choices_made(page) -> None:
    """Topic and "referred" chosen: the subtopics and the referral list appear."""
    page.locator(".desk-form label[for^=topic-]").first.click()
    page.locator("label[for=outcome-referred]").click()
    page.locator("#referral-block select").wait_for(state="visible")


def _submit_empty(button: str) -> Callable:
    """Sends the form of ``button`` as it is, past the browser's own checks, so the
    page answers with its error messages."""

    def submit(page) -> None:
        page.locator("main form").evaluate_all("forms => forms.forEach(f => f.noValidate = true)")
        with page.expect_navigation():
            page.locator(button).first.click()
        assert page.locator(".invalid-feedback, .alert-danger, .text-danger").count(), (
            f"no error shown on {page.url}"
        )

    return submit


def _hub_name_cleared(page) -> None:
    page.locator("#id_name").fill("")
    _submit_empty("main form [type=submit]")(page)


def _totp_set_up(page) -> None:
    """The page with the QR code, after allauth asks for the password once more."""
    if "/reauthenticate/" in page.url:
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form [type=submit]").first.click()
    assert "/2fa/totp/activate/" in page.url, page.url


def _signed_up_in_grid(page) -> None:
    page.locator("main").get_by_role("button", name="Aanmelden").first.click()
    page.locator("main .shift-cell [role=status]").first.wait_for()


# role -> (page, what to do on it, label of the state)
STATES = {
    "host": [
        (Page("questions:desk", ("hub_slug",)), _desk_choices_made, "choices made"),
        (
            Page("questions:desk", ("hub_slug",)),
            _submit_empty("button[name=save]"),
            "sent empty",
        ),
        (
            Page("questions:callback_create", ("hub_slug",)),
            _submit_empty("main [type=submit][name=save]"),
            "sent empty",
        ),
    ],
    "medewerker": [(Page("scheduling:week"), _signed_up_in_grid, "after signing up")],
    "kcc": [
        (
            Page("questions:article_create"),
            _submit_empty("main form [type=submit]"),
            "sent empty",
        )
    ],
    "wijkmanager": [(Page("manage:hub_edit", ("hub_slug",)), _hub_name_cleared, "name cleared")],
    "wijkraad": [
        (
            Page("proposals:create", ("hub_slug",)),
            _submit_empty("main [type=submit][name=save]"),
            "sent empty",
        )
    ],
    "coordinator": [
        (Page("users:create"), _submit_empty("main form [type=submit]"), "sent empty"),
        (Page("mfa_activate_totp"), _totp_set_up, "two-factor set-up"),
    ],
}


# --- which pages a role uses ----------------------------------------------------------------


def _menu_pages(user) -> list[Page]:
    access = user.access
    pages = []
    for item in MENU:
        allowed = getattr(access, item.allowed)
        if allowed() if callable(allowed) else allowed:
            pages.append(Page(item.url_name))
    return pages


def _detail_pages(role: str, world: World) -> tuple[list[tuple[Page, str]], list[str]]:
    """(page, url) for the pages of DETAIL_PAGES the role may open, and the reasons for
    those left out because they do not exist (yet)."""
    pages, skipped = [], []
    for page in DETAIL_PAGES:
        try:
            url = _url(page, world)
        except NoReverseMatch as exc:
            skipped.append(f"{page.url_name}: {exc}")
            continue
        assert page.url_name in EXPECTED, f"{page.url_name} is not in the permission matrix"
        if EXPECTED[page.url_name][role] == 200:
            pages.append((page, url))
    pages += [(page, _url(page, world)) for page in MFA_PAGES.get(role, [])]
    return pages, skipped


def _linked_pages(page) -> list[str]:
    """Same-site links in the main content of ``page`` (a page that is an index)."""
    hrefs = page.locator("main a[href^='/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.travel(NOW, tick=True)
@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_violations(role, cast, world, new_page, login):
    user = cast[role]
    findings = Findings()
    pages: dict[tuple[int, int], object] = {}

    def browser(size):
        if size not in pages:
            pages[size] = login(_new_page(new_page, size), user)
        return pages[size]

    checked: set[str] = set()

    def check(url: str, size=DESKTOP, name: str = "") -> object:
        page = browser(size)
        _open(page, url)
        # A menu item that redirects (the desk of someone with one hub) is checked once.
        key = f"{page.url} {size[0]}px"
        if key not in checked:
            checked.add(key)
            findings.check(page, f"{name} {key}".strip())
        return page

    for item in _menu_pages(user):
        page = check(reverse(item.url_name), name=item.url_name)
        if item.url_name in INDEX_PAGES:
            for href in _linked_pages(page):
                check(href, name=f"(from {item.url_name})")
    details, skipped = _detail_pages(role, world)
    for item, url in details:
        for size in item.sizes:
            check(url, size, item.url_name)
    for item, step, state in STATES.get(role, []):
        page = browser(DESKTOP)
        _open(page, _url(item, world))
        step(page)
        findings.check(page, f"{item.url_name} {page.url} ({state})")
    if skipped:
        print(f"\n{role}: not checked, no such page yet:\n" + "\n".join(skipped))
    findings.assert_clean(role)


@pytest.mark.travel(NOW, tick=True)
def test_public_pages_have_no_serious_violations(world, new_page):
    findings = Findings()
    pages = {size: _new_page(new_page, size) for size in (DESKTOP, PHONE)}
    for item in PUBLIC_PAGES:
        for size in item.sizes:
            page = pages[size]
            _open(page, _url(item, world))
            findings.check(page, f"{item.url_name} {page.url} {size[0]}px")
    # A failed login: the error message and the fields marked invalid.
    page = pages[DESKTOP]
    _open(page, reverse("account_login"))
    page.get_by_label("E-mailadres").fill("iemand@example.org")
    page.get_by_label("Wachtwoord").fill("fout")
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    findings.check(page, "account_login (wrong password)")
    findings.assert_clean("anonymous")


@pytest.mark.travel(NOW, tick=True)
def test_axe_reports_what_it_should(world, new_page):
    """The checks can fail: a field stripped of its label, grey-on-white text, a link
    without a focus ring and a page too wide for a phone are found."""
    page = _new_page(new_page, DESKTOP)
    _open(page, reverse("public:hub_list"))
    page.evaluate(
        """() => {
            document.querySelectorAll("main label").forEach(label => label.remove());
            document.querySelector("main h1").style.color = "#bbb";
            const link = document.querySelector("main a[href]");
            link.style.outline = "none";
            link.style.boxShadow = "none";
        }"""
    )
    findings = Findings()
    findings.check(page, "hub list, broken on purpose")
    found = "\n".join(findings.failing)
    assert "[critical] label" in found or "[critical] select-name" in found, found
    assert "color-contrast" in found, found
    assert "focus-visible" in found, found

    phone = _new_page(new_page, PHONE)
    _open(phone, reverse("public:hub_list"))
    phone.evaluate("() => { document.querySelector('main h1').style.minWidth = '40rem'; }")
    findings.check(phone, "hub list on a phone, too wide on purpose")
    assert "reflow" in findings.failing[-1], findings.failing
