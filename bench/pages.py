"""The key pages the benchmark measures: one table, so adding a page is one line.

Each page names the role whose session requests it (None: a resident, not logged
in) and how to build its URL from the ``Cast`` — the seeded hub, team and proposal
the bench looks at (bench/measure.py). A page marked ``optional`` is skipped, and
reported as skipped, when its URL name does not exist (yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.constants import Role

# Which seeded account plays each role: the first account of that role (bench/seeding.py).
ROLES = [Role.HOST, Role.MEDEWERKER, Role.KCC, Role.WIJKMANAGER, Role.WIJKRAAD, Role.COORDINATOR]

CEILING_PATH = "/bench/ceiling/"


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    role: str | None  # None: anonymous
    url: Callable[[Any], str]  # Cast -> path with query string
    optional: bool = False


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


PAGES: list[Page] = [
    # Residents
    Page("hub_list", "Public hub list", None, lambda c: _reverse("public:hub_list")),
    Page("hub_detail", "Hub page", None, lambda c: _reverse("public:hub_detail", c.hub.slug)),
    Page("opening_json", "JSON feed (all hubs)", None, lambda c: _reverse("public:opening_json")),
    Page("hub_ical", "iCalendar feed", None, lambda c: _reverse("public:hub_ical", c.hub.slug)),
    # Rostering
    Page(
        "week",
        "Week grid (all hubs, first page)",
        Role.MEDEWERKER,
        lambda c: _reverse("scheduling:week"),
    ),
    Page("mine", "Mijn dagdelen", Role.MEDEWERKER, lambda c: _reverse("scheduling:mine")),
    Page(
        "coverage",
        "Coverage (all hubs, first page)",
        Role.COORDINATOR,
        lambda c: _reverse("scheduling:coverage"),
    ),
    # The desk, callbacks, kennisbank
    Page("desk", "Desk (busy hub)", Role.HOST, lambda c: _reverse("questions:desk", c.hub.slug)),
    Page(
        "team_queue",
        "Team queue (busiest team)",
        Role.KCC,
        lambda c: _reverse("questions:team_queue", c.team.pk),
    ),
    Page(
        "question_list",
        "Question list (coordinator)",
        Role.COORDINATOR,
        lambda c: _reverse("questions:question_list"),
    ),
    Page(
        "question_list_wm",
        "Question list (wijkmanager, 4 hubs)",
        Role.WIJKMANAGER,
        lambda c: _reverse("questions:question_list"),
    ),
    Page(
        "kb_search",
        "Kennisbank search",
        Role.KCC,
        lambda c: _reverse("questions:kb_search") + "?q=huurtoeslag",
    ),
    # Proposals
    Page("proposal_list", "Proposal list", Role.COORDINATOR, lambda c: _reverse("proposals:list")),
    Page(
        "proposal_detail",
        "Proposal detail",
        Role.COORDINATOR,
        lambda c: _reverse("proposals:detail", c.proposal.pk),
    ),
    # Reports (issue 6)
    Page(
        "report_index",
        "Reports index",
        Role.COORDINATOR,
        lambda c: _reverse("reports:index"),
        optional=True,
    ),
    Page(
        "report_city",
        "Report: city",
        Role.COORDINATOR,
        lambda c: _reverse("reports:city"),
        optional=True,
    ),
    Page(
        "report_gebied",
        "Report: gebied",
        Role.COORDINATOR,
        lambda c: _reverse("reports:gebied", c.hub.gebied.slug),
        optional=True,
    ),
    Page(
        "report_hub",
        "Report: hub (wijkmanager)",
        Role.WIJKMANAGER,
        lambda c: _reverse("reports:hub", c.hub.slug),
        optional=True,
    ),
    Page(
        "report_week",
        "My hub this week (host)",
        Role.HOST,
        lambda c: _reverse("reports:week"),
        optional=True,
    ),
]

CEILING = Page("ceiling", "Trivial view (ceiling)", None, lambda c: CEILING_PATH)
# The same trivial view with a medewerker's session: what being logged in costs on every
# staff page (the session, the user and their roles are read). For information: the
# targets are judged against the ceiling above.
STAFF_CEILING = Page(
    "ceiling_staff", "Trivial view, logged in", Role.MEDEWERKER, lambda c: CEILING_PATH
)
