"""Demo history for the report pages: half a year of a believable past, up to yesterday.

``seed_history`` (called by ``manage.py seed_demo``) fills every past dagdeel that the
opening calendar says was open with what a real half year leaves behind:

- a shift per opening (a few cancelled), confirmed sign-ups by the demo staff with
  their cluster and attendance (mostly came, a few no-shows, some not marked yet),
  some under the minimum, and the places each hub's two partner clusters committed;
- desk questions: busier on Monday morning and Wednesday afternoon, fewer in the
  summer weeks 29–33, topics Zipf-like per hub, about 75% answered, 20% referred
  (to a destination that fits the topic) and 5% callback requests, some answered
  with a kennisbank article, and now and then a knowledge gap;
- a callback request for each callback question, handled in working hours (first
  attempt 1–30 working hours after it was made, a few unreachable, a few late),
  with its personal data removed once it was closed longer than the retention,
  as the nightly purge does.

Everything is written with ``bulk_create`` and one seeded ``random.Random``, so a run
is repeatable and quick. It is safe to run again, also on a later day: only openings
without a shift get one, only open dagdelen without questions get questions (every
open dagdeel gets at least one, so "none yet" means "not filled yet"), and attendance
is decided by the sign-up's id, so marking it again changes nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment, User
from hubs import demo_data
from hubs.models import ClosingDay, Hub
from hubs.opening import OpeningCalendar, aware
from questions.constants import AttemptResult, CallbackEventKind, CallbackStatus, Outcome
from questions.models import (
    REFERENCE_ALPHABET,
    Article,
    CallbackAttempt,
    CallbackEvent,
    CallbackRequest,
    KnowledgeGap,
    Question,
    ReferralTarget,
    Team,
    Topic,
)
from questions.workdays import add_working_days
from scheduling.constants import SignUpStatus
from scheduling.models import ClusterOffer, Shift, SignUp

from .rollup import monday

HISTORY_WEEKS = 26
SEED = 2026

# --- the shape of the past ------------------------------------------------------------------

# Questions per hub in a normal open week (before the season); a dagdeel gets its
# share of the week by SLOT_FACTORS.
WEEKLY_QUESTIONS = {"busy": 56, "normal": 32, "below_norm": 15, "mobile": 18}
SLOT_FACTORS = {
    (0, "ochtend"): 1.9,  # Monday morning: the weekend's post
    (0, "middag"): 1.1,
    (2, "ochtend"): 1.1,
    (2, "middag"): 2.0,  # Wednesday afternoon: school is out, parents come by
    (2, "avond"): 0.7,
    (4, "ochtend"): 0.8,
}
SUMMER_WEEKS = range(29, 34)  # ISO weeks of the school holidays in the south

CANCELLED_SHARE = 0.03
CANCEL_REASONS = [
    "Te weinig bezetting na het beslismoment (demo)",
    "Storing in het gebouw (demo)",
    "Gastvrouw ziek, geen vervanging (demo)",
    "Ruimte nodig voor een buurtbijeenkomst (demo)",
]
# How many people a shift got, relative to its minimum: (under by one, minimum,
# one more, full), for busy hubs, the others, and the hub below the norm.
STAFFING = {
    "busy": (0.04, 0.26, 0.40, 0.30),
    "normal": (0.08, 0.52, 0.32, 0.08),
    "below_norm": (0.22, 0.60, 0.18, 0.00),
    "mobile": (0.06, 0.70, 0.24, 0.00),
}
SECOND_OFFER_SHARE = 0.6  # shifts where the hub's second partner cluster commits a place
CLUSTER_RELIABILITY = (0.75, 0.97)  # share of its committed places a cluster fills
HOST_PRESENT = 0.7  # a hub's host is in most of its dagdelen

# Main topics from most to least asked; unknown names (renamed in the portal) come last.
TOPIC_RANKING = [
    "Brieven en digitale hulp",
    "Geldzaken en schulden",
    "Wonen",
    "Werk en inkomen",
    "Zorg en welzijn",
    "Belastingen en heffingen",
    "Afval en buitenruimte",
    "Burgerzaken en documenten",
    "Parkeren en verkeer",
    "Veiligheid en overlast",
    "Wijk en meedoen",
    "Onderwijs en jeugd",
    "Overig",
]
# (share referred, share callback) per main topic; the rest is answered on the spot.
OUTCOMES = {
    "Brieven en digitale hulp": (0.08, 0.03),
    "Geldzaken en schulden": (0.34, 0.06),
    "Wonen": (0.28, 0.06),
    "Werk en inkomen": (0.22, 0.08),
    "Zorg en welzijn": (0.27, 0.06),
    "Belastingen en heffingen": (0.18, 0.09),
    "Veiligheid en overlast": (0.30, 0.04),
}
DEFAULT_OUTCOME = (0.16, 0.04)
REFERRALS = {
    "Wonen": [("Woonstad Rotterdam", 5), ("Havensteder", 3), ("Vraagwijzer", 1)],
    "Geldzaken en schulden": [("Schuldhulpverlening", 6), ("Vraagwijzer", 3)],
    "Werk en inkomen": [("Vraagwijzer", 4), ("Jongerenloket", 2), ("Schuldhulpverlening", 1)],
    "Zorg en welzijn": [("Vraagwijzer", 5), ("Buurtwerk", 2)],
    "Belastingen en heffingen": [("Belastingdienst / BSD", 6), ("Vraagwijzer", 1)],
    "Veiligheid en overlast": [("Politie wijkagent", 5), ("Buurtwerk", 1)],
    "Wijk en meedoen": [("Buurtwerk", 5), ("Vraagwijzer", 1)],
    "Onderwijs en jeugd": [("Jongerenloket", 4), ("Buurtwerk", 2)],
}
DEFAULT_REFERRALS = [("Vraagwijzer", 4), ("Buurtwerk", 1)]
TEAMS = {
    "Wonen": "Team Wonen",
    "Werk en inkomen": "Team Werk en Inkomen",
    "Geldzaken en schulden": "Team Werk en Inkomen",
    "Belastingen en heffingen": "Team Belastingen",
    "Burgerzaken en documenten": "Team Belastingen",
    "Brieven en digitale hulp": "Team Belastingen",
    "Afval en buitenruimte": "Team Stadsbeheer",
    "Parkeren en verkeer": "Team Stadsbeheer",
    "Veiligheid en overlast": "Team Stadsbeheer",
    "Wijk en meedoen": "Team Stadsbeheer",
}
DEFAULT_TEAM = "Team Zorg en Welzijn"
ARTICLE_SHARE = 0.25  # answered questions whose topic has articles, answered with one
GAP_SHARE = 0.025  # questions without an article that logged a knowledge gap
GAP_SEARCHES = {
    "Wonen": ["urgentie woning", "huurverhoging bezwaar", "schimmel badkamer"],
    "Geldzaken en schulden": ["energietoeslag", "beslag op loon", "noodfonds"],
    "Werk en inkomen": ["bijverdienen uitkering", "vakantiegeld bijstand"],
    "Zorg en welzijn": ["scootmobiel reparatie", "respijtzorg", "huishoudelijke hulp"],
    "Belastingen en heffingen": ["hondenbelasting", "betalingsregeling aanslag"],
    "Afval en buitenruimte": ["afvalpas kwijt", "boom snoeien"],
    "Parkeren en verkeer": ["bezoekersvergunning", "gehandicaptenparkeerkaart"],
    "Burgerzaken en documenten": ["naturalisatie", "rijbewijs verlopen"],
    "Onderwijs en jeugd": ["leerlingenvervoer", "kinderopvangtoeslag terug"],
    "Brieven en digitale hulp": ["DigiD machtiging", "brief CAK"],
}
LANGUAGES = ["", "nl", "ar", "tr", "pl", "en", "ber", "pap", "bg", "uk"]
LANGUAGE_WEIGHTS = [52, 22, 7, 7, 3, 3, 2, 2, 1, 1]
NOTES = [
    "brief samen doorgelezen",
    "formulier samen ingevuld",
    "komt volgende week terug",
    "uitleg gegeven over DigiD",
    "wist niet waar te beginnen",
    "met tolk via de telefoon",
]
RESIDENTS = ["A. Yilmaz", "M. de Vries", "F. El Amrani", "J. Pinas", "K. Nowak", "S. Bakker"]
REACHABLE = ["werkdagen na 15:00", "ochtend", "hele dag", "alleen woensdag", "na 18:00"]
QUESTION_TEXTS = [
    "Vraag over een brief van de gemeente",
    "Wil weten of er recht is op een tegemoetkoming",
    "Klacht over onderhoud, wil teruggebeld worden",
    "Vraag over een openstaande aanslag",
    "Zoekt hulp bij het aanvragen van een voorziening",
]
RESULTS = [
    "Uitleg gegeven, bewoner geholpen (demo).",
    "Afspraak gemaakt bij het loket (demo).",
    "Formulier toegestuurd (demo).",
    "Doorverwezen naar de juiste afdeling (demo).",
]
# Callback handling, in working hours (Monday to Friday, 9:00–17:00, not on closing days).
WORKDAY = (dt.time(9, 0), dt.time(17, 0))
REACHED_AT_ATTEMPT = (0.72, 0.55, 0.45)  # chance of reaching the resident at attempt 1, 2, 3+
FORGOTTEN_SHARE = 0.03  # recent requests nobody picked up (overdue in the queue)
FORGOTTEN_DAYS = 28


@dataclass
class HistoryResult:
    shifts: int = 0
    cancelled: int = 0
    signups: int = 0
    attendance_marked: int = 0
    offers: int = 0
    questions: int = 0
    callbacks: int = 0
    purged: int = 0
    gaps: int = 0


def history_start(today: dt.date, weeks: int = HISTORY_WEEKS) -> dt.date:
    """The Monday the demo history starts: ``weeks`` whole weeks before this week."""
    return monday(today) - dt.timedelta(weeks=weeks)


def seed_history(
    *,
    now: dt.datetime | None = None,
    weeks: int = HISTORY_WEEKS,
    step: Callable[[str], None] | None = None,
) -> HistoryResult:
    """Fills the past from ``history_start`` up to yesterday; see the module docstring.

    ``step(name)`` is called after each part (the command prints timings with it).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    history = _History(now, history_start(today, weeks), today - dt.timedelta(days=1))
    step = step or (lambda name: None)
    history.roster()
    step("history: shifts, sign-ups and offers")
    history.mark_attendance()
    step("history: attendance")
    history.questions()
    step("history: questions and knowledge gaps")
    history.callbacks()
    step("history: callbacks")
    return history.result


# --- helpers ---------------------------------------------------------------------------------


def _kind(hub: Hub) -> str:
    if hub.is_mobile:
        return "mobile"
    if hub.name in demo_data.BELOW_NORM_HUBS:
        return "below_norm"
    return "busy" if hub.name in demo_data.BUSY_HUBS else "normal"


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of a dagdeel."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _season(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Fewer residents in the summer holidays and around Christmas; slowly more over
    the half year as the hubs get known."""
    week = day.isocalendar().week
    factor = 0.55 if week in SUMMER_WEEKS else 0.75 if week in (52, 53, 1) else 1.0
    growth = 0.9 + 0.2 * (day - first).days / max(1, (last - first).days)
    return factor * growth


def _attendance(signup_id: int, day: dt.date, today: dt.date) -> bool | None:
    """Came, did not come, or not marked (yet): decided by the sign-up's id, so asking
    again gives the same answer. The last week is often not marked yet."""
    r = (signup_id * 2654435761 % 2**32) / 2**32
    unmarked = 0.25 if (today - day).days <= 7 else 0.03
    if r < unmarked:
        return None
    return r >= unmarked + 0.04  # four in a hundred did not come


def _add_working_hours(moment: dt.datetime, hours: float, closed: set[dt.date]) -> dt.datetime:
    """``hours`` of working time after ``moment`` (weekdays 9:00–17:00, not on closing days)."""
    left = dt.timedelta(hours=hours)
    moment = timezone.localtime(moment)
    day = moment.date()
    while True:
        if day.weekday() < 5 and day not in closed:
            opens, closes = aware(day, WORKDAY[0]), aware(day, WORKDAY[1])
            start = max(moment, opens)
            if start < closes:
                if left <= closes - start:
                    return start + left
                left -= closes - start
        day += dt.timedelta(days=1)
        moment = aware(day, dt.time.min)


def _pick(candidates: list[tuple], limit: int, chosen: list[tuple], busy: set[int]) -> None:
    """Adds people from ``candidates`` to ``chosen`` until it has ``limit``, skipping
    those who already have a place in this dagdeel (``busy``, updated)."""
    for person in candidates:
        if len(chosen) >= limit:
            return
        if person[0] not in busy:
            busy.add(person[0])
            chosen.append(person)


def _weighted(rng: random.Random, pairs: list[tuple]) -> object:
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


# --- the history -----------------------------------------------------------------------------


class _History:
    def __init__(self, now: dt.datetime, first: dt.date, last: dt.date):
        self.now, self.first, self.last = now, first, last
        self.today = last + dt.timedelta(days=1)
        self.rng = random.Random(SEED)
        self.result = HistoryResult()
        self.hubs = list(Hub.objects.active().order_by("pk"))
        self.calendar = OpeningCalendar(self.hubs, first, last)
        self.teams = {t.name: t for t in Team.objects.filter(is_active=True).order_by("name")}
        # (hub id, date, dagdeel) -> user ids of the people who worked there
        self.people: dict[tuple, list[int]] = defaultdict(list)
        self.open_keys: dict[tuple, Shift] = {}  # past shifts that were not cancelled
        self.new_questions: list[Question] = []

    # --- roster -------------------------------------------------------------------------

    def roster(self) -> None:
        rng = self.rng
        existing = {
            (s.hub_id, s.date, s.dagdeel): s
            for s in Shift.objects.filter(date__range=(self.first, self.last))
        }
        for key, shift in existing.items():
            if not shift.is_cancelled:
                self.open_keys[key] = shift
        # People as (user id, cluster id): the demo staff, and each hub's hosts. Ordered
        # by id, not by name: collations differ between databases, the seed should not.
        staff = list(
            User.objects.filter(
                is_active=True,
                role_assignments__role__in=[Role.MEDEWERKER, Role.KCC],
                role_assignments__hub=None,
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", "cluster_id")
        )
        by_cluster: dict[int, list[tuple]] = defaultdict(list)
        for person in staff:
            if person[1]:
                by_cluster[person[1]].append(person)
        clusters = [
            pk
            for pk in Cluster.objects.order_by("pk").values_list("pk", flat=True)
            if pk in by_cluster
        ]
        hosts: dict[int, list[tuple]] = defaultdict(list)
        for hub_id, user_id, cluster_id in (
            RoleAssignment.objects.filter(role=Role.HOST, hub__isnull=False)
            .order_by("user_id")
            .values_list("hub_id", "user_id", "user__cluster_id")
        ):
            hosts[hub_id].append((user_id, cluster_id))
        coordinator = (
            User.objects.filter(role_assignments__role=Role.COORDINATOR).order_by("pk").first()
        )

        # Who already has a place in a dagdeel (an earlier run's roster, now past).
        taken: dict[tuple, set[int]] = defaultdict(set)
        shift_keys = {s.pk: k for k, s in existing.items()}
        for user_id, day, dagdeel, shift_id in (
            SignUp.objects.confirmed()
            .filter(date__range=(self.first, self.last))
            .values_list("user_id", "date", "dagdeel", "shift_id")
            .order_by("shift_id", "pk")
        ):
            taken[day, dagdeel].add(user_id)
            self.people[shift_keys[shift_id]].append(user_id)

        # Each hub has two partner clusters that commit places in its dagdelen; some
        # clusters keep their word better than others.
        partners = {
            hub.pk: (
                clusters[i % len(clusters)],
                clusters[(i + max(1, len(clusters) // 2)) % len(clusters)],
            )
            for i, hub in enumerate(self.hubs)
            if clusters
        }
        reliability = {pk: rng.uniform(*CLUSTER_RELIABILITY) for pk in clusters}
        regulars = {hub.pk: rng.sample(staff, min(12, len(staff))) for hub in self.hubs}

        new_shifts, plans = [], []
        for hub in self.hubs:
            kind = _kind(hub)
            for opening in self.calendar.openings(hub.pk):
                if (hub.pk, opening.date, opening.dagdeel) in existing:
                    continue
                shift = Shift(
                    hub=hub,
                    date=opening.date,
                    dagdeel=opening.dagdeel,
                    starts_at=opening.start,
                    ends_at=opening.end,
                    min_staff=hub.min_staff,
                    max_staff=hub.max_staff,
                    required_roles=list(hub.required_roles),
                )
                new_shifts.append(shift)
                if rng.random() < CANCELLED_SHARE:
                    shift.is_cancelled, shift.cancel_reason = True, rng.choice(CANCEL_REASONS)
                    continue
                under, at_min, one_more, _full = STAFFING[kind]
                r = rng.random()
                if r < under:
                    wanted = hub.min_staff - 1
                elif r < under + at_min:
                    wanted = hub.min_staff
                elif r < under + at_min + one_more:
                    wanted = hub.min_staff + 1
                else:
                    wanted = hub.max_staff
                commitments = []
                if hub.pk in partners:
                    first, second = partners[hub.pk]
                    places = 2 if kind == "busy" or rng.random() < 0.4 else 1
                    commitments.append((first, min(places, hub.max_staff)))
                    if (
                        second != first
                        and hub.max_staff > places
                        and rng.random() < SECOND_OFFER_SHARE
                    ):
                        commitments.append((second, 1))
                plans.append((shift, max(0, min(wanted, hub.max_staff)), commitments))

        # Hand out people per dagdeel (nobody is in two places at once), the hubs in a
        # shuffled order so that none is always the last to get someone.
        signups: list[tuple[Shift, int, int | None]] = []
        offers = []
        plans.sort(key=lambda p: (p[0].date, p[0].dagdeel, p[0].hub.name))
        for (day, dagdeel), group in itertools.groupby(
            plans, key=lambda p: (p[0].date, p[0].dagdeel)
        ):
            group = list(group)
            rng.shuffle(group)
            busy = taken[day, dagdeel]
            for shift, wanted, commitments in group:
                chosen: list[tuple] = []
                if hosts.get(shift.hub_id) and rng.random() < HOST_PRESENT:
                    _pick(hosts[shift.hub_id], 1, chosen, busy)
                for cluster, places in commitments:
                    kept = sum(rng.random() < reliability[cluster] for _ in range(places))
                    members = by_cluster[cluster]
                    start = rng.randrange(len(members))
                    _pick(
                        members[start:] + members[:start],
                        min(wanted, len(chosen) + kept),
                        chosen,
                        busy,
                    )
                    offers.append(
                        ClusterOffer(
                            shift=shift,
                            cluster_id=cluster,
                            places=places,
                            release_at=shift.starts_at - dt.timedelta(days=7),
                            created_by=coordinator,
                        )
                    )
                hub_regulars = regulars[shift.hub_id][:]
                rng.shuffle(hub_regulars)
                _pick(hub_regulars, wanted, chosen, busy)
                start = rng.randrange(len(staff)) if staff else 0
                _pick(staff[start:] + staff[:start], wanted, chosen, busy)
                shift.confirmed_count = len(chosen)
                signups += [(shift, user_id, cluster_id) for user_id, cluster_id in chosen]

        Shift.objects.bulk_create(new_shifts, batch_size=1000)
        for shift in new_shifts:
            shift.created_at = shift.starts_at - dt.timedelta(days=rng.randint(35, 56))
            if not shift.is_cancelled:
                self.open_keys[shift.hub_id, shift.date, shift.dagdeel] = shift
        Shift.objects.bulk_update(new_shifts, ["created_at"], batch_size=1000)
        rows = []
        for shift, user_id, cluster_id in signups:
            signed_up = shift.starts_at - dt.timedelta(days=rng.uniform(2, 40))
            rows.append(
                SignUp(
                    shift=shift,
                    user_id=user_id,
                    date=shift.date,
                    dagdeel=shift.dagdeel,
                    status=SignUpStatus.CONFIRMED,
                    cluster_id=cluster_id,
                    created_at=signed_up,
                    confirmed_at=signed_up,
                )
            )
            self.people[shift.hub_id, shift.date, shift.dagdeel].append(user_id)
        SignUp.objects.bulk_create(rows, batch_size=2000)
        ClusterOffer.objects.bulk_create(offers, batch_size=1000)
        for offer in offers:
            offer.created_at = offer.shift.starts_at - dt.timedelta(days=rng.randint(28, 42))
        ClusterOffer.objects.bulk_update(offers, ["created_at"], batch_size=1000)
        self.result.shifts = len(new_shifts)
        self.result.cancelled = sum(s.is_cancelled for s in new_shifts)
        self.result.signups = len(rows)
        self.result.offers = len(offers)

    def mark_attendance(self) -> None:
        """The hosts marked who came, in every past shift (but not always, yet)."""
        unmarked = SignUp.objects.confirmed().filter(
            date__range=(self.first, self.last), attended__isnull=True, shift__is_cancelled=False
        )
        decided: dict[bool, list[int]] = {True: [], False: []}
        for pk, day in unmarked.values_list("pk", "date"):
            came = _attendance(pk, day, self.today)
            if came is not None:
                decided[came].append(pk)
        for came, pks in decided.items():
            for i in range(0, len(pks), 5000):
                SignUp.objects.filter(pk__in=pks[i : i + 5000]).update(attended=came)
        self.result.attendance_marked = len(decided[True]) + len(decided[False])

    # --- questions ----------------------------------------------------------------------

    def questions(self) -> None:
        rng = self.rng
        filled = set(
            Question.objects.filter(date__range=(self.first, self.last))
            .exclude(dagdeel="")
            .values_list("hub_id", "date", "dagdeel")
            .distinct()
        )
        topics = list(Topic.objects.active().select_related("parent"))
        mains = {t.pk: t for t in topics if t.parent_id is None}
        rank = {name: i for i, name in enumerate(TOPIC_RANKING)}
        ranked_mains = sorted(
            mains.values(), key=lambda t: (rank.get(t.name, 99), t.position, t.pk)
        )
        children = defaultdict(list)
        for t in sorted(topics, key=lambda t: (t.position, t.name)):
            if t.parent_id in mains:
                children[t.parent_id].append(t)
        referral_targets = {r.name: r for r in ReferralTarget.objects.filter(is_active=True)}
        any_target = sorted(referral_targets.values(), key=lambda r: r.name)
        articles: dict[int, list[int]] = defaultdict(list)
        for topic_id, article_id in (
            Article.topics.through.objects.filter(article__is_published=True)
            .order_by("article_id")
            .values_list("topic_id", "article_id")
        ):
            articles[topic_id].append(article_id)

        # Each hub asks about the same things as the city, give or take.
        cumulative = {}
        for hub in self.hubs:
            pairs = []
            for i, main in enumerate(ranked_mains):
                weight = rng.lognormvariate(0, 0.35) / (i + 1)
                subs = children.get(main.pk) or [main]
                share = sum(1 / (j + 1) ** 0.9 for j in range(len(subs)))
                pairs += [(sub, weight / (j + 1) ** 0.9 / share) for j, sub in enumerate(subs)]
            cumulative[hub.pk] = (
                [t for t, _w in pairs],
                list(itertools.accumulate(w for _t, w in pairs)),
            )

        rows, gaps = [], []
        for hub in self.hubs:
            openings = self.calendar.openings(hub.pk)
            if not openings:
                continue
            weeks_open = len({monday(o.date) for o in openings})
            total_factor = sum(SLOT_FACTORS.get((o.date.weekday(), o.dagdeel), 1) for o in openings)
            per_factor = WEEKLY_QUESTIONS[_kind(hub)] * weeks_open / total_factor
            week_noise = {}
            choices, cum = cumulative[hub.pk]
            for opening in openings:
                key = (hub.pk, opening.date, opening.dagdeel)
                if key in filled or key not in self.open_keys:
                    continue
                week = monday(opening.date)
                if week not in week_noise:
                    week_noise[week] = rng.lognormvariate(0, 0.15)
                mean = (
                    per_factor
                    * SLOT_FACTORS.get((opening.date.weekday(), opening.dagdeel), 1)
                    * _season(opening.date, self.first, self.last)
                    * week_noise[week]
                )
                people = self.people.get(key) or [None]
                minutes = int((opening.end - opening.start).total_seconds() // 60) - 5
                for _n in range(max(1, _poisson(rng, mean))):
                    topic = choices[bisect.bisect_left(cum, rng.random() * cum[-1])]
                    main = mains.get(topic.parent_id or topic.pk)
                    main_name = main.name if main else ""
                    referred, callback = OUTCOMES.get(main_name, DEFAULT_OUTCOME)
                    callback *= bool(self.teams)  # a callback request needs a team
                    r = rng.random()
                    outcome = (
                        Outcome.CALLBACK
                        if r < callback
                        else Outcome.REFERRED
                        if r < callback + referred
                        else Outcome.ANSWERED
                    )
                    target = None
                    if outcome == Outcome.REFERRED:
                        options = [
                            (referral_targets[name], w)
                            for name, w in REFERRALS.get(main_name, DEFAULT_REFERRALS)
                            if name in referral_targets
                        ]
                        target = _weighted(rng, options) if options else rng.choice(any_target)
                    article = None
                    candidates = articles.get(topic.pk, []) + articles.get(topic.parent_id or 0, [])
                    if (
                        candidates
                        and outcome != Outcome.CALLBACK
                        and rng.random()
                        < ARTICLE_SHARE * (1 if outcome == Outcome.ANSWERED else 0.3)
                    ):
                        article = rng.choice(candidates)
                    language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
                    question = Question(
                        hub=hub,
                        date=opening.date,
                        dagdeel=opening.dagdeel,
                        created_at=opening.start
                        + dt.timedelta(minutes=rng.triangular(0, minutes, minutes * 0.3)),
                        created_by_id=rng.choice(people),
                        topic=topic,
                        outcome=outcome,
                        referral_target=target,
                        language=language,
                        interpreter_needed=language not in ("", "nl") and rng.random() < 0.25,
                        note=rng.choice(NOTES) if rng.random() < 0.08 else "",
                        article_id=article,
                    )
                    rows.append(question)
                    if article is None and outcome != Outcome.CALLBACK and rng.random() < GAP_SHARE:
                        gaps.append((question, main_name))
        Question.objects.bulk_create(rows, batch_size=2000)
        self.new_questions = rows
        self.result.questions = len(rows)
        self._gaps(gaps, articles)

    def _gaps(self, found: list[tuple[Question, str]], articles: dict[int, list[int]]) -> None:
        rng, rows = self.rng, []
        for question, main_name in found:
            created = question.created_at + dt.timedelta(minutes=rng.randint(1, 6))
            searches = GAP_SEARCHES.get(main_name) or [question.topic.name.lower()]
            gap = KnowledgeGap(
                hub_id=question.hub_id,
                topic=question.topic,
                question=question,
                search_terms=rng.choice(searches),
                note="Bewoner vroeg hiernaar; niets gevonden in de kennisbank (demo).",
                created_by_id=question.created_by_id,
            )
            # Some gaps were answered by a (new) article a few weeks later.
            topic_articles = articles.get(question.topic_id, []) + articles.get(
                question.topic.parent_id or 0, []
            )
            resolved = created + dt.timedelta(days=rng.randint(5, 30))
            if topic_articles and resolved < self.now and rng.random() < 0.35:
                gap.resolved_article_id = rng.choice(topic_articles)
                gap.resolved_at = resolved
            rows.append((gap, created))
        KnowledgeGap.objects.bulk_create([g for g, _c in rows], batch_size=1000)
        for gap, created in rows:
            gap.created_at = created  # auto_now_add: set after the insert
        KnowledgeGap.objects.bulk_update([g for g, _c in rows], ["created_at"], batch_size=1000)
        self.result.gaps = len(rows)

    # --- callbacks ----------------------------------------------------------------------

    def callbacks(self) -> None:
        rng = self.rng
        asked = [q for q in self.new_questions if q.outcome == Outcome.CALLBACK]
        if not asked:
            return
        teams = self.teams
        members = {t.pk: sorted(t.members.values_list("pk", flat=True)) for t in teams.values()}
        closed = set(
            ClosingDay.objects.closed()
            .filter(date__gte=self.first - dt.timedelta(days=7))
            .values_list("date", flat=True)
        )
        references = set(CallbackRequest.objects.values_list("reference", flat=True))
        retention = dt.timedelta(days=settings.CALLBACK_RETENTION_DAYS)
        due_dates: dict[tuple, dt.date] = {}
        made, attempts, events = [], [], []
        for n, question in enumerate(asked):
            main = question.topic.parent or question.topic
            team = teams.get(TEAMS.get(main.name, DEFAULT_TEAM)) or next(iter(teams.values()))
            created = question.created_at
            day = timezone.localdate(created)
            if (day, team.due_working_days) not in due_dates:
                due_dates[day, team.due_working_days] = add_working_days(day, team.due_working_days)
            reference = ""
            while not reference or reference in references:
                code = "".join(rng.choices(REFERENCE_ALPHABET, k=6))
                reference = f"TB-{code[:4]}-{code[4:]}"
            references.add(reference)
            callback = CallbackRequest(
                reference=reference,
                question=question,
                hub_id=question.hub_id,
                team=team,
                due_date=due_dates[day, team.due_working_days],
                created_at=created,
                created_by_id=question.created_by_id,
                resident_name=f"{RESIDENTS[n % len(RESIDENTS)]} (demo)",
                phone=f"06{rng.randint(10_000_000, 99_999_999)}",
                email=f"bewoner{n}@example.org" if rng.random() < 0.2 else "",
                reachable=rng.choice(REACHABLE),
                language=question.language or "nl",
                question_text=f"{rng.choice(QUESTION_TEXTS)} (demo).",
                consent_at=created,
            )
            events.append(
                CallbackEvent(
                    callback=callback,
                    at=created,
                    by_id=question.created_by_id,
                    kind=CallbackEventKind.CREATED,
                    to_team=team,
                )
            )
            handlers = members.get(team.pk)
            forgotten = (self.today - day).days <= FORGOTTEN_DAYS and rng.random() < FORGOTTEN_SHARE
            if handlers and not forgotten:
                self._handle(callback, rng.choice(handlers), closed, attempts, events)
            if callback.closed_at and callback.closed_at < self.now - retention:
                # As the nightly purge would have done, the night after the retention.
                night = timezone.localdate(callback.closed_at + retention) + dt.timedelta(days=1)
                callback.purged_at = min(aware(night, dt.time(3, 0)), self.now)
                for name in CallbackRequest.PERSONAL_FIELDS:
                    setattr(callback, name, "")
                events.append(
                    CallbackEvent(
                        callback=callback, at=callback.purged_at, kind=CallbackEventKind.PURGED
                    )
                )
                self.result.purged += 1
            made.append(callback)
        CallbackRequest.objects.bulk_create(made, batch_size=1000)
        CallbackAttempt.objects.bulk_create(attempts, batch_size=2000)
        CallbackEvent.objects.bulk_create(events, batch_size=2000)
        self.result.callbacks = len(made)

    def _handle(self, callback, handler: int, closed, attempts: list, events: list) -> None:
        """A team member claims it, phones (up to ``max_attempts`` times) and completes it
        or gives up; whatever would happen after now has not happened yet."""
        rng, now = self.rng, self.now
        delay = 1 + min(29.0, rng.expovariate(1 / 6))  # working hours to the first attempt
        at = _add_working_hours(callback.created_at, delay, closed)
        claimed = max(callback.created_at, at - dt.timedelta(minutes=rng.randint(5, 60)))
        if claimed > now:
            return  # still waiting in the team's queue
        callback.status, callback.claimed_by_id, callback.claimed_at = (
            CallbackStatus.CLAIMED,
            handler,
            claimed,
        )
        events.append(
            CallbackEvent(
                callback=callback, at=claimed, by_id=handler, kind=CallbackEventKind.CLAIMED
            )
        )
        max_attempts = callback.team.max_attempts
        for attempt in range(max_attempts):
            if at > now:
                return
            reached = rng.random() < REACHED_AT_ATTEMPT[min(attempt, len(REACHED_AT_ATTEMPT) - 1)]
            result = (
                AttemptResult.REACHED
                if reached
                else rng.choice([AttemptResult.NOT_REACHED, AttemptResult.VOICEMAIL])
            )
            attempts.append(CallbackAttempt(callback=callback, at=at, by_id=handler, result=result))
            callback.first_attempt_at = callback.first_attempt_at or at
            if reached:
                # Mostly settled in the call; sometimes it takes looking something up.
                if rng.random() < 0.8:
                    done = at + dt.timedelta(minutes=rng.randint(8, 40))
                else:
                    done = _add_working_hours(at, rng.uniform(2, 24), closed)
                if done <= now:
                    callback.status, callback.closed_at = CallbackStatus.COMPLETED, done
                    callback.result = rng.choice(RESULTS)
                    events.append(
                        CallbackEvent(
                            callback=callback,
                            at=done,
                            by_id=handler,
                            kind=CallbackEventKind.COMPLETED,
                        )
                    )
                return
            callback.failed_attempts += 1
            if callback.failed_attempts >= max_attempts:
                callback.status, callback.closed_at = CallbackStatus.UNREACHABLE, at
                events.append(
                    CallbackEvent(
                        callback=callback, at=at, by_id=handler, kind=CallbackEventKind.UNREACHABLE
                    )
                )
                return
            at = _add_working_hours(at, rng.uniform(2, 10), closed)
