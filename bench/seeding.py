"""A busy year of a city-scale Rotterdam, for the benchmark (`manage.py seed_bench`).

At ``scale=1``: the 39 hubs and the mobile hub, 3,000 staff accounts, a year of
shifts (about 20,000) with about 100,000 sign-ups, 1,000,000 desk questions,
100,000 callback requests and 200 wijkraad proposals. The city's structure — hubs,
topics, teams, referral destinations, closing days — does not scale; the volumes
do. Shifts cover ``HISTORY_WEEKS × scale`` weeks of history (at least one) plus the
usual horizon ahead, so the pages that look forward always have a roster to show.

Speed: the big tables (shifts, sign-ups, questions, callbacks and their attempts and
events) are written with PostgreSQL ``COPY`` and explicit ids, the rest with
``bulk_create``. PostgreSQL only; one ``random.Random`` seed makes a run repeatable.

The data keeps the models' rules: a shift's ``confirmed_count`` equals its confirmed
sign-ups and never exceeds ``max_staff``, nobody has two places in one dagdeel, a
referred question has a destination, a callback has consent and a phone number (or
its personal data was purged), planned and in-force proposals have their schedule
version.
"""

from __future__ import annotations

import bisect
import datetime as dt
import inspect
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment, User
from hubs import demo_data as demo
from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import ClosingDay, Closure, Gebied, Hub, MobileStop, OpeningSlot, ScheduleVersion
from hubs.opening import OpeningCalendar
from hubs.services import closing_days_refresh
from proposals.constants import Decision, SlotKind, Status
from proposals.models import Answer, Message, Proposal, ProposalSlot, Transition
from questions.constants import (
    AttemptResult,
    CallbackEventKind,
    CallbackStatus,
    Outcome,
    ReferralKind,
)
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
from scheduling.constants import SignUpStatus
from scheduling.models import CalendarFeed, ClusterOffer, HandoverRequest, Shift, SignUp

from .progress import Progress

# --- the full-scale volumes (issue 7) ------------------------------------------------------
FULL_STAFF = 3_000
FULL_SIGNUPS = 100_000
FULL_QUESTIONS = 1_000_000
FULL_CALLBACKS = 100_000
FULL_PROPOSALS = 200
FULL_ARTICLES = 300  # on top of the demo kennisbank
FULL_GAPS = 3_000
HISTORY_WEEKS = 44  # plus SHIFT_HORIZON_WEEKS (8) ahead: a year of shifts

# Shares of the sign-up rows: places, places given back, waitlist entries.
SIGNUP_SHARES = {"confirmed": 0.72, "cancelled": 0.22, "waitlisted": 0.06}
# Shares of the desk outcomes; callbacks are FULL_CALLBACKS / FULL_QUESTIONS.
REFERRED_SHARE = 0.22

PASSWORD = demo.DEMO_PASSWORD  # bench data only; the bench makes sessions directly
EMAIL_DOMAIN = "bench.example.org"
SIGNUP_ROLES = (Role.MEDEWERKER, Role.KCC, Role.HOST, Role.WIJKMANAGER, Role.COORDINATOR)
MANAGER_HUBS = ["Feijenoord", "Bloemhof", "Afrikaanderwijk", "Hillesluis"]  # as in the demo


def cast_email(role: str, n: int = 1) -> str:
    """The e-mail address of the ``n``-th account with ``role``; bench/pages.py uses the
    first of each role."""
    return f"{role}{n:04d}@{EMAIL_DOMAIN}"


FIRST_NAMES = """Ahmed Aisha Bram Bilal Chantal Daan Dewi Emma Esra Fatima Fleur Gijs Hatice
Ivo Jan Joyce Karim Kees Lotte Lucas Mo Mila Noor Nina Oscar Priya Quinten Romy Sanne Sem
Tarik Tess Umut Vera Wouter Yara Youssef Zeynep Anouk Ruben""".split()  # noqa: SIM905
LAST_NAMES = """de Vries,Jansen,Bakker,Yilmaz,El Amrani,Pinas,Nowak,de Jong,Visser,Smit,
Meijer,de Boer,Mulder,Bos,Vos,Peters,Hendriks,van Dijk,Kaya,Öztürk,Martina,Soares,Rodrigues,
Benali,Bouzid,Kowalski,Dekker,Brouwer,van Leeuwen,Verhoeven,Koster,Prins,Huisman""".replace(
    "\n", ""
).split(",")

# team -> (cluster, the main topics it phones residents back about)
TEAMS = {
    "Team Wonen": ("Stadsontwikkeling", ["Wonen"]),
    "Team Werk en Inkomen": ("Werk en Inkomen", ["Werk en inkomen"]),
    "Team Schuldhulp": ("Maatschappelijke Ontwikkeling", ["Geldzaken en schulden"]),
    "Team Zorg en Welzijn": ("Maatschappelijke Ontwikkeling", ["Zorg en welzijn"]),
    "Team Belastingen": ("Dienstverlening", ["Belastingen en heffingen"]),
    "Team Stadsbeheer": ("Stadsbeheer", ["Afval en buitenruimte"]),
    "Team Parkeren": ("Stadsbeheer", ["Parkeren en verkeer"]),
    "Team Burgerzaken": ("Dienstverlening", ["Burgerzaken en documenten"]),
    "Team Veiligheid": ("Bestuursdienst", ["Veiligheid en overlast"]),
    "Team Wijkzaken": ("Bestuursdienst", ["Wijk en meedoen", "Overig"]),
    "Team Jeugd en Onderwijs": ("Maatschappelijke Ontwikkeling", ["Onderwijs en jeugd"]),
    "Team Digitale Hulp": ("Dienstverlening", ["Brieven en digitale hulp"]),
}

LANGUAGES = ["", "nl", "ar", "tr", "pl", "en", "ber", "pap", "bg", "ro", "so", "uk"]
LANGUAGE_WEIGHTS = [55, 20, 6, 6, 3, 3, 2, 1.5, 1, 1, 0.8, 0.7]
# When residents come: Monday busiest, weekends quiet; mornings more than evenings;
# fewer in the summer holiday and December.
WEEKDAY_FACTOR = [1.3, 1.1, 1.0, 1.15, 0.8, 0.6, 0.5]
DAGDEEL_FACTOR = {Dagdeel.OCHTEND: 1.2, Dagdeel.MIDDAG: 1.0, Dagdeel.AVOND: 0.6}
MONTH_FACTOR = {7: 0.6, 8: 0.6, 12: 0.8}

NOTES = [
    "brief over toeslag",
    "vraag over afspraak",
    "formulier samen ingevuld",
    "komt volgende week terug",
    "doorgestuurd met uitleg",
    "vraag over de buurt",
    "uitleg gegeven over DigiD",
]
SEARCH_TERMS = [
    "huurtoeslag",
    "kwijtschelding",
    "grofvuil ophalen",
    "parkeervergunning bezoek",
    "paspoort kwijt",
    "schulden hulp",
    "wmo scootmobiel",
    "energietoeslag",
]
RESULTS = [
    "Uitleg gegeven, bewoner geholpen.",
    "Afspraak gemaakt bij het loket.",
    "Formulier toegestuurd.",
    "Doorverwezen naar de juiste afdeling.",
]
REACHABLE = ["werkdagen na 15:00", "ochtend", "hele dag", "alleen woensdag", "na 18:00"]
QUESTION_TEXTS = [
    "Vraag over een brief van de gemeente.",
    "Wil weten of er recht is op een tegemoetkoming.",
    "Klacht over onderhoud, wil teruggebeld worden.",
    "Vraag over een openstaande aanslag.",
    "Zoekt hulp bij het aanvragen van een voorziening.",
]
MESSAGES = [
    "Dank voor uw voorstel. Kunnen we binnenkort in gesprek?",
    "Graag, we komen naar het wijkcentrum.",
    "Kunt u de cijfers over de drukte meesturen?",
    "De bewoners in de wijk steunen dit voorstel.",
]
INTERNAL_NOTES = ["Bezetting navragen bij het cluster.", "Past dit binnen het budget?"]
CLOSURE_REASONS = ["Verbouwing", "Schoonmaak", "Stembureau", "Wijkfeest"]
# The dagdelen a hub may open, and how likely each is to be in a weekly pattern.
PATTERN_CANDIDATES = (
    [((d, Dagdeel.OCHTEND), 1.0) for d in range(5)]
    + [((d, Dagdeel.MIDDAG), 1.0) for d in range(5)]
    + [((d, Dagdeel.AVOND), 0.3) for d in range(5)]
    + [((5, Dagdeel.OCHTEND), 0.3)]
)
EXTRA_MOBILE_STOPS = [
    ("Markt Zuidplein", "Zuidplein, 3083 CW Rotterdam"),
    ("Buurthuis Het Lage Land", "Prinsenlaan 120, 3066 KA Rotterdam"),
]
ARTICLE_VARIANTS = [
    "wat u moet weten",
    "veelgestelde vragen",
    "stap voor stap",
    "voor wie",
    "kosten en termijnen",
    "uitzonderingen",
]


@dataclass
class Sizes:
    """How much of everything to make at ``scale`` (1.0 is the full city)."""

    scale: float
    staff: int
    signups: int
    questions: int
    callbacks: int
    proposals: int
    articles: int
    gaps: int
    history_weeks: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        if not 0 < scale <= 10:
            raise ValueError("scale must be above 0 and at most 10")

        def part(full: int, least: int = 0) -> int:
            return max(least, round(full * scale))

        return cls(
            scale=scale,
            staff=part(FULL_STAFF, 30),
            signups=part(FULL_SIGNUPS),
            questions=part(FULL_QUESTIONS),
            callbacks=part(FULL_CALLBACKS),
            proposals=part(FULL_PROPOSALS, 7),  # at least one in every state
            articles=part(FULL_ARTICLES),
            gaps=part(FULL_GAPS),
            history_weeks=part(HISTORY_WEEKS, 1),
        )

    def role_counts(self) -> dict[str, int]:
        """Accounts per role; the medewerkers are the rest."""

        def part(full: int, least: int) -> int:
            return max(least, round(full * self.scale))

        counts = {
            Role.COORDINATOR: part(6, 1),
            Role.WIJKMANAGER: part(20, 2),
            Role.HOST: part(120, 2),
            Role.KCC: part(250, 2),
            Role.WIJKRAAD: part(200, 2),
        }
        counts[Role.MEDEWERKER] = max(5, self.staff - sum(counts.values()))
        return counts


@dataclass(slots=True)
class PlannedShift:
    """A shift before it is written, with the people who will be in it."""

    id: int
    hub_id: int
    date: dt.date
    dagdeel: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    min_staff: int
    max_staff: int
    required_roles: list
    cancelled: bool
    confirmed: int = 0
    people: set[int] = field(default_factory=set)


@dataclass
class City:
    """What the seeding steps hand each other (ids rather than model instances)."""

    now: dt.datetime
    today: dt.date
    first: dt.date  # first day with shifts (a Monday)
    last: dt.date  # last day with shifts
    hubs: list[Hub] = field(default_factory=list)
    busy_ids: set[int] = field(default_factory=set)
    hub_weight: dict[int, float] = field(default_factory=dict)  # questions per hub
    patterns: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    first_versions: dict[int, ScheduleVersion] = field(default_factory=dict)
    in_force_versions: list[ScheduleVersion] = field(default_factory=list)
    planned_versions: list[ScheduleVersion] = field(default_factory=list)
    users_by_role: dict[str, list[int]] = field(default_factory=dict)
    user_cluster: dict[int, int | None] = field(default_factory=dict)
    hosts_by_hub: dict[int, list[int]] = field(default_factory=dict)
    wijkraad_by_hub: dict[int, list[int]] = field(default_factory=dict)
    clusters: dict[str, int] = field(default_factory=dict)
    team_members: dict[int, list[int]] = field(default_factory=dict)
    team_attempts: dict[int, int] = field(default_factory=dict)
    team_days: dict[int, int] = field(default_factory=dict)
    topic_team: dict[int, int] = field(default_factory=dict)  # main topic -> team
    shifts: list[PlannedShift] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


# --- low-level helpers ------------------------------------------------------------------------


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_qn(model._meta.db_table)}")
        return cursor.fetchone()[0]


def copy_rows(
    model, fields: Sequence[str], rows: Iterable[dict], progress: Progress | None = None
) -> int:
    """Writes ``rows`` (dicts keyed by the names in ``fields``) with COPY; returns how
    many. Foreign keys are given as ids under the field's name (``hub``, not ``hub_id``).

    ``rows`` may be a generator, but it must not query the database: the connection
    belongs to the COPY until it ends, so a query would wait for it for ever."""
    columns = ", ".join(_qn(model._meta.get_field(name).column) for name in fields)
    sql = f"COPY {_qn(model._meta.db_table)} ({columns}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[name] for name in fields])
            written += 1
            if progress is not None and written % 10_000 == 0:
                progress.update(10_000)
    if progress is not None:
        progress.update(written % 10_000)
    return written


def reset_sequences(*models) -> None:
    """After COPY with explicit ids the id sequences must continue after the last one."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _weighted_sample(rng: random.Random, items_weights, k: int) -> list:
    """``k`` distinct items, drawn with probability proportional to their weights
    (Efraimidis–Spirakis: sort on ``u ** (1 / weight)``)."""
    keyed = sorted(items_weights, key=lambda iw: -(rng.random() ** (1.0 / iw[1])))
    return [item for item, _weight in keyed[:k]]


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _round_random(rng: random.Random, expected: float) -> int:
    """``expected`` rounded down or up at random, so that sums come out right on average."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


class WorkingDays:
    """``questions.workdays.add_working_days`` without a query per call."""

    def __init__(self, first: dt.date, last: dt.date):
        closed = set(
            ClosingDay.objects.closed()
            .filter(date__range=(first, last))
            .values_list("date", flat=True)
        )
        days = (first + dt.timedelta(n) for n in range((last - first).days + 1))
        self.days = [d for d in days if d.weekday() < 5 and d not in closed]

    def add(self, start: dt.date, days: int) -> dt.date:
        i = bisect.bisect_right(self.days, start)
        return self.days[min(i + days - 1, len(self.days) - 1)]


# --- the whole run ----------------------------------------------------------------------------


def seed(scale: float = 1.0, *, random_seed: int = 2026, stream=None) -> City:
    """Fills an empty PostgreSQL database; returns the City with counts and timings."""
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "seed_bench needs PostgreSQL (it writes with COPY); set DATABASE_URL to a "
            "postgres:// database."
        )
    if Hub.objects.exists() or User.objects.exists():
        raise RuntimeError(
            "seed_bench needs an empty, migrated database (no hubs or users yet); "
            "bench/run.py drops and creates its database for you."
        )
    sizes = Sizes.at(scale)
    rng = random.Random(random_seed)
    now = timezone.now()
    today = timezone.localdate(now)
    city = City(
        now=now,
        today=today,
        first=_monday(today - dt.timedelta(weeks=sizes.history_weeks)),
        last=today + dt.timedelta(weeks=settings.SHIFT_HORIZON_WEEKS),
    )
    for name, step in [
        ("structure", _structure),
        ("people", _people),
        ("roster", _roster),
        ("questions", _questions),
        ("proposals", _proposals),
    ]:
        started = time.monotonic()
        with transaction.atomic():
            step(city, sizes, rng, stream)
            written = time.monotonic()
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL checks the
        # copied rows' references at COMMIT. Kept (not switched off): they prove the data.
        commit = time.monotonic() - written
        city.timings[name] = round(written - started, 1)
        city.timings["commit"] = round(city.timings.get("commit", 0) + commit, 1)
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Fresh statistics and a visibility map, as a database in use has them from
        # autovacuum: without the map PostgreSQL cannot answer from an index alone.
        # (VACUUM cannot run inside a transaction, as in a test; then only ANALYZE.)
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    city.timings["analyze"] = round(time.monotonic() - started, 2)
    return city


def rebuild_rollups(stream=None) -> str:
    """Fills the report rollups if the reports app has them (issue 6): tolerant of the
    module or its ``rebuild_all`` not existing. Shows a progress bar when ``rebuild_all``
    reports progress as ``progress(done, total)``."""
    try:
        from reports import rollup
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "reports":
            return "skipped: there is no reports.rollup module"
        raise
    rebuild_all = getattr(rollup, "rebuild_all", None)
    if rebuild_all is None:
        return "skipped: reports.rollup has no rebuild_all()"
    started = time.monotonic()
    if "progress" in inspect.signature(rebuild_all).parameters:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = Progress("report rollups", total, stream=stream)
            bar.update(done - bar.done)

        rebuild_all(progress=progress)
        if bar is not None:
            bar.close()
    else:
        rebuild_all()
    return f"rebuilt in {time.monotonic() - started:.1f}s"


# --- the city's structure ---------------------------------------------------------------------


def _structure(city: City, sizes: Sizes, rng: random.Random, stream) -> None:
    """Closing days, clusters, districts, hubs with their opening hours (including the
    versions wijkraad proposals brought), closures, mobile stops, topics, referral
    destinations, teams and the kennisbank."""
    closing_days_refresh(years=list(range(city.first.year, city.last.year + 2)))
    city.clusters = {name: Cluster.objects.get_or_create(name=name)[0].pk for name in demo.CLUSTERS}
    _hubs(city, rng)
    for hub in city.hubs:
        city.first_versions[hub.pk] = _version(
            hub, city.first, city.patterns[hub.pk], "Openingstijden (benchmark)"
        )
    _proposal_versions(city, sizes, rng)
    _mobile_stops(city)
    _closures(city, rng)

    from questions.demo import seed_topics
    from questions.demo_articles import seed_articles

    seed_topics()
    _referral_targets()
    mains = {t.name: t.pk for t in Topic.objects.filter(parent__isnull=True)}
    for name, (cluster, topics) in TEAMS.items():
        team = Team.objects.create(
            name=name, cluster_id=city.clusters[cluster], due_working_days=rng.choice([2, 2, 3, 5])
        )
        city.team_attempts[team.pk] = team.max_attempts
        city.team_days[team.pk] = team.due_working_days
        for topic_name in topics:
            city.topic_team[mains[topic_name]] = team.pk
    seed_articles(today=city.today)
    _articles(sizes, rng, city.today)
    city.counts["hubs"] = len(city.hubs)


def _hubs(city: City, rng: random.Random) -> None:
    """The demo's 39 hubs with staffing defaults and weekly patterns of about ten
    dagdelen (busy hubs more, quiet ones fewer, Heijplaat below the norm)."""
    ranked = []
    for gebied_name, entries in demo.HUBS.items():
        gebied, _created = Gebied.objects.get_or_create(
            slug=slugify(gebied_name), defaults={"name": gebied_name}
        )
        for name, address, postcode, lat, lon in entries:
            busy = name in demo.BUSY_HUBS
            quiet = not busy and rng.random() < 0.25
            if busy:
                min_staff, max_staff, count = 3, 6, rng.randint(13, 15)
            elif quiet:
                min_staff, max_staff, count = 1, 3, rng.randint(6, 7)
            else:
                min_staff, max_staff, count = 2, rng.choice([4, 5]), rng.randint(8, 11)
            hub = Hub.objects.create(
                name=name,
                slug=slugify(name),
                gebied=gebied,
                wijk=name,
                address=address,
                postcode=postcode,
                latitude=lat,
                longitude=lon,
                phone="14010",
                email=f"wijkhub.{slugify(name)}@example.org",
                description=f"Wijkhub voor de wijk {name} (benchmarkgegevens).",
                min_staff=min_staff,
                max_staff=max_staff,
                required_roles=[Role.HOST, Role.KCC] if rng.random() < 0.25 else [],
            )
            city.hubs.append(hub)
            if busy:
                city.busy_ids.add(hub.pk)
            below = name in demo.BELOW_NORM_HUBS
            city.patterns[hub.pk] = _pattern(rng, count, below)
            ranked.append((hub.pk, (3.0 if busy else 1.0) * rng.uniform(0.6, 1.4)))
    mobile = Hub.objects.create(
        name=demo.MOBILE_HUB,
        slug="mobiele-wijkhub",
        gebied=Gebied.objects.get(slug="centrum"),
        is_mobile=True,
        phone="14010",
        description="De wijkhub op wielen komt naar u toe (benchmarkgegevens).",
        min_staff=2,
        max_staff=3,
    )
    city.hubs.append(mobile)
    city.patterns[mobile.pk] = [(d, Dagdeel.OCHTEND) for d in range(5)]
    ranked.append((mobile.pk, 0.6))
    # Questions per hub fall off with its rank (Zipf-like), busy hubs at the top.
    ranked.sort(key=lambda pw: -pw[1])
    city.hub_weight = {pk: w / (rank + 1) ** 0.5 for rank, (pk, w) in enumerate(ranked)}


def _pattern(rng: random.Random, count: int, below_norm: bool) -> list[tuple[int, str]]:
    if below_norm:
        return list(demo.PATTERN_BELOW_NORM)
    while True:
        pattern = _weighted_sample(rng, PATTERN_CANDIDATES, count)
        if len({day for day, _dagdeel in pattern}) >= 3:  # the norm: three days
            return sorted(pattern)


def _version(hub: Hub, valid_from: dt.date, pattern, note: str) -> ScheduleVersion:
    version = ScheduleVersion.objects.create(hub=hub, valid_from=valid_from, note=note)
    OpeningSlot.objects.bulk_create(
        OpeningSlot(
            version=version,
            weekday=day,
            dagdeel=dagdeel,
            start_time=DEFAULT_TIMES[dagdeel][0],
            end_time=DEFAULT_TIMES[dagdeel][1],
        )
        for day, dagdeel in pattern
    )
    return version


def _proposal_plan(sizes: Sizes) -> list[str]:
    """The status of every proposal to make, each state at least once."""
    shares = [
        (Status.CONCEPT, 0.08),
        (Status.SUBMITTED, 0.12),
        (Status.IN_CONVERSATION, 0.15),
        (Status.DECIDED, 0.25),  # rejected
        (Status.PLANNED, 0.05),
        (Status.IN_FORCE, 0.20),
        (Status.WITHDRAWN, 0.15),
    ]
    return [
        status for status, share in shares for _ in range(max(1, round(sizes.proposals * share)))
    ]


def _proposal_versions(city: City, sizes: Sizes, rng: random.Random) -> None:
    """Accepted proposals brought new opening hours: versions in the past (in force)
    and in the future (planned). Made before the shifts, which follow them."""
    fixed = [h for h in city.hubs if not h.is_mobile]
    used: set[tuple[int, dt.date]] = {(h.pk, city.first) for h in city.hubs}
    history = max(1, (city.today - city.first).days)
    for status in _proposal_plan(sizes):
        if status not in (Status.IN_FORCE, Status.PLANNED):
            continue
        while True:
            hub = rng.choice(fixed)
            if status == Status.IN_FORCE:
                start = city.first + dt.timedelta(days=rng.randint(1, history))
            else:
                start = city.today + dt.timedelta(days=rng.randint(14, 84))
            if (hub.pk, start) not in used:
                break
        used.add((hub.pk, start))
        pattern = list(city.patterns[hub.pk])
        extra = [candidate for candidate, _w in PATTERN_CANDIDATES if candidate not in pattern]
        if extra:
            pattern = sorted([*pattern, rng.choice(extra)])
        version = _version(hub, start, pattern, "Voorstel wijkraad (benchmark)")
        if status == Status.IN_FORCE:
            city.in_force_versions.append(version)
        else:
            city.planned_versions.append(version)


def _mobile_stops(city: City) -> None:
    """The mobile hub stands somewhere every weekday morning, and Wednesday afternoon."""
    mobile = city.hubs[-1]
    places = demo.MOBILE_STOPS + EXTRA_MOBILE_STOPS
    stops = []
    days = (city.first + dt.timedelta(n) for n in range((city.last - city.first).days + 1))
    for n, day in enumerate(d for d in days if d.weekday() < 5):
        place, address = places[n % len(places)]
        stops.append(MobileStop(hub=mobile, date=day, dagdeel=Dagdeel.OCHTEND, place=place,
                                address=address))  # fmt: skip
        if day.weekday() == 2:
            place, address = places[(n + 3) % len(places)]
            stops.append(MobileStop(hub=mobile, date=day, dagdeel=Dagdeel.MIDDAG, place=place,
                                    address=address))  # fmt: skip
    MobileStop.objects.bulk_create(stops)
    city.counts["mobile_stops"] = len(stops)


def _closures(city: City, rng: random.Random) -> None:
    """About 25 closures a year, one to ten days, never two at once at a hub."""
    span = (city.last - city.first).days
    closures = []
    for _ in range(max(1, round(25 * span / 364))):
        hub = rng.choice(city.hubs[:-1])
        start = city.first + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.choice([1, 1, 2, 3, 5, 7, 10]) - 1)
        clash = any(
            c.hub_id == hub.pk and c.start_date <= end and c.end_date >= start for c in closures
        )
        if not clash:
            closures.append(
                Closure(hub=hub, start_date=start, end_date=end, reason=rng.choice(CLOSURE_REASONS))
            )
    Closure.objects.bulk_create(closures)
    city.counts["closures"] = len(closures)


def _referral_targets() -> None:
    """Besides the demo destinations (for every hub): a wijkteam and a buurthuis per
    gebied, for the hubs of that gebied."""
    through = ReferralTarget.hubs.through
    for gebied in Gebied.objects.prefetch_related("hubs"):
        for prefix in ("Wijkteam", "Buurthuis"):
            target = ReferralTarget.objects.create(
                name=f"{prefix} {gebied.name}",
                kind=ReferralKind.PARTNER,
                description="Benchmarkgegevens.",
            )
            through.objects.bulk_create(
                through(referraltarget_id=target.pk, hub_id=hub.pk) for hub in gebied.hubs.all()
            )


def _articles(sizes: Sizes, rng: random.Random, today: dt.date) -> None:
    """More kennisbank articles, their text stitched from the demo articles' paragraphs
    so that Dutch full-text search has real words to find."""
    paragraphs = [
        p for body in Article.objects.values_list("body", flat=True) for p in body.split("\n\n")
    ]
    subtopics = list(Topic.objects.filter(parent__isnull=False))
    articles, topics = [], []
    for n in range(sizes.articles):
        topic = rng.choice(subtopics)
        articles.append(
            Article(
                title=f"{topic.name}: {ARTICLE_VARIANTS[n % len(ARTICLE_VARIANTS)]} ({n + 1})",
                body="\n\n".join(rng.sample(paragraphs, min(4, len(paragraphs)))),
                last_reviewed=today - dt.timedelta(days=rng.randint(0, 400)),
                is_published=rng.random() < 0.95,
            )
        )
        topics.append((topic.pk, topic.parent_id))
    Article.objects.bulk_create(articles, batch_size=1000)
    through = Article.topics.through
    through.objects.bulk_create(
        through(article_id=article.pk, topic_id=topic_id)
        for article, pair in zip(articles, topics, strict=True)
        for topic_id in pair
    )


# --- people -----------------------------------------------------------------------------------


def _people(city: City, sizes: Sizes, rng: random.Random, stream) -> None:
    """Staff accounts with their roles and clusters; teams and their members."""
    password = make_password(PASSWORD)  # hashed once: 3,000 hashes would take minutes
    cluster_ids = list(city.clusters.values())
    home_cluster = {
        Role.KCC: city.clusters["Dienstverlening"],
        Role.HOST: city.clusters["Dienstverlening"],
        Role.WIJKMANAGER: city.clusters["Bestuursdienst"],
        Role.COORDINATOR: city.clusters["Bestuursdienst"],
        Role.WIJKRAAD: None,
    }
    users, roles = [], []
    for role, count in sizes.role_counts().items():
        for n in range(1, count + 1):
            users.append(
                User(
                    email=cast_email(role, n),
                    password=password,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    cluster_id=home_cluster[role]
                    if role in home_cluster
                    else rng.choice(cluster_ids),
                    is_staff=role == Role.COORDINATOR,  # coordinators use the back office
                    date_joined=city.now - dt.timedelta(days=rng.randint(30, 900)),
                )
            )
            roles.append(role)
    User.objects.bulk_create(users, batch_size=1000)
    by_role = defaultdict(list)
    for user, role in zip(users, roles, strict=True):
        by_role[role].append(user.pk)
        city.user_cluster[user.pk] = user.cluster_id
    city.users_by_role = dict(by_role)
    assignments = _hub_roles(city, by_role)
    for role in (Role.KCC, Role.MEDEWERKER, Role.COORDINATOR):
        assignments += [RoleAssignment(user_id=pk, role=role) for pk in by_role[role]]
    RoleAssignment.objects.bulk_create(assignments, batch_size=2000)
    _team_members(city, sizes, rng, by_role)
    medewerkers = by_role[Role.MEDEWERKER]
    CalendarFeed.objects.bulk_create(
        CalendarFeed(user_id=pk) for pk in rng.sample(medewerkers, len(medewerkers) // 3)
    )
    city.counts["users"] = len(users)


def _hub_roles(city: City, by_role) -> list[RoleAssignment]:
    """Wijkmanagers (one per hub; the first has the demo wijkmanager's four hubs), hosts
    (the first at Feijenoord and Bloemhof, like the demo host, the others round the hubs)
    and wijkraad members (the first at Feijenoord)."""
    by_name = {h.name: h for h in city.hubs}
    assignments = []
    managers = by_role[Role.WIJKMANAGER]
    first_hubs = [by_name[name] for name in MANAGER_HUBS]
    managed = {managers[0]: first_hubs}
    others = managers[1:] or managers[:1]
    for i, hub in enumerate(h for h in city.hubs if h not in first_hubs):
        managed.setdefault(others[i % len(others)], []).append(hub)
    for user_id, hubs in managed.items():
        assignments += [RoleAssignment(user_id=user_id, role=Role.WIJKMANAGER, hub=h) for h in hubs]
    hosts = by_role[Role.HOST]
    host_hubs = {hosts[0]: [by_name["Feijenoord"], by_name["Bloemhof"]]}
    round_hubs = [h for h in city.hubs if h.name != "Feijenoord"]
    for i, user_id in enumerate(hosts[1:]):
        host_hubs[user_id] = [round_hubs[i % len(round_hubs)]]
    for user_id, hubs in host_hubs.items():
        for hub in hubs:
            assignments.append(RoleAssignment(user_id=user_id, role=Role.HOST, hub=hub))
            city.hosts_by_hub.setdefault(hub.pk, []).append(user_id)
    fixed = [h for h in city.hubs if not h.is_mobile and h.name != "Feijenoord"]
    for i, user_id in enumerate(by_role[Role.WIJKRAAD]):
        hub = by_name["Feijenoord"] if i == 0 else fixed[(i - 1) % len(fixed)]
        assignments.append(RoleAssignment(user_id=user_id, role=Role.WIJKRAAD, hub=hub))
        city.wijkraad_by_hub.setdefault(hub.pk, []).append(user_id)
    return assignments


def _team_members(city: City, sizes: Sizes, rng: random.Random, by_role) -> None:
    """KCC staff and medewerkers of the team's cluster, about 20 per team at full scale;
    the first KCC employee is in every team, so the bench can open the busiest queue."""
    per_team = max(2, round(20 * sizes.scale))
    candidates = by_role[Role.KCC] + by_role[Role.MEDEWERKER]
    through = Team.members.through
    rows = []
    for team in Team.objects.order_by("pk"):
        same = [pk for pk in candidates if city.user_cluster[pk] == team.cluster_id]
        chosen = set(rng.sample(same, min(per_team, len(same))))
        if len(chosen) < 2:
            chosen |= set(by_role[Role.KCC][:2])
        chosen.add(by_role[Role.KCC][0])  # the bench's KCC employee, in every team
        city.team_members[team.pk] = sorted(chosen)
        rows += [through(team_id=team.pk, user_id=pk) for pk in sorted(chosen)]
    through.objects.bulk_create(rows)


# --- the roster -------------------------------------------------------------------------------


def _roster(city: City, sizes: Sizes, rng: random.Random, stream) -> None:
    """A year of shifts from the opening hours, who signed up for them, a few hand-overs
    and cluster offers."""
    calendar = OpeningCalendar(city.hubs, city.first, city.last)
    shift_id = next_id(Shift)
    for hub in city.hubs:
        for opening in calendar.openings(hub.pk):
            city.shifts.append(
                PlannedShift(
                    id=shift_id,
                    hub_id=hub.pk,
                    date=opening.date,
                    dagdeel=opening.dagdeel,
                    starts_at=opening.start,
                    ends_at=opening.end,
                    min_staff=hub.min_staff,
                    max_staff=hub.max_staff,
                    required_roles=list(hub.required_roles),
                    cancelled=rng.random() < 0.01,
                )
            )
            shift_id += 1
    # A city makes its shifts a few weeks ahead for every hub at once, and the desk logs
    # questions as the day goes: rows in time order, hubs mixed. Written hub by hub, the
    # planner's statistics would see each hub's rows side by side on disk and choose plans
    # a real database never gets. Everything below follows this order.
    first_id = shift_id - len(city.shifts)
    city.shifts.sort(key=lambda s: (s.starts_at, s.hub_id))
    for n, shift in enumerate(city.shifts):
        shift.id = first_id + n
    pool = [pk for role in SIGNUP_ROLES for pk in city.users_by_role.get(role, [])]
    _fill_places(city, sizes, rng, pool)
    signups = list(_signup_rows(city, sizes, rng, pool))
    with Progress("shifts", len(city.shifts), stream=stream) as bar:
        copy_rows(
            Shift,
            [
                "id",
                "hub",
                "date",
                "dagdeel",
                "starts_at",
                "ends_at",
                "min_staff",
                "max_staff",
                "required_roles",
                "staffing_overridden",
                "confirmed_count",
                "is_cancelled",
                "cancel_reason",
                "created_at",
            ],  # fmt: skip
            (
                {
                    "id": s.id,
                    "hub": s.hub_id,
                    "date": s.date,
                    "dagdeel": s.dagdeel,
                    "starts_at": s.starts_at,
                    "ends_at": s.ends_at,
                    "min_staff": s.min_staff,
                    "max_staff": s.max_staff,
                    "required_roles": json.dumps(s.required_roles),
                    "staffing_overridden": False,
                    "confirmed_count": s.confirmed,
                    "is_cancelled": s.cancelled,
                    "cancel_reason": "Ziekte, geen vervanging" if s.cancelled else "",
                    "created_at": city.now,
                }
                for s in city.shifts
            ),
            bar,
        )
    with Progress("sign-ups", len(signups), stream=stream) as bar:
        copy_rows(
            SignUp,
            [
                "id",
                "shift",
                "user",
                "date",
                "dagdeel",
                "status",
                "cluster",
                "attended",
                "created_at",
                "confirmed_at",
                "cancelled_at",
            ],  # fmt: skip
            signups,
            bar,
        )
    reset_sequences(Shift, SignUp)

    shift_by_id = {s.id: s for s in city.shifts}
    soon = [
        row["id"]
        for row in signups
        if row["status"] == SignUpStatus.CONFIRMED
        and city.now < shift_by_id[row["shift"]].starts_at < city.now + dt.timedelta(hours=48)
    ]
    HandoverRequest.objects.bulk_create(
        HandoverRequest(signup_id=pk, reason="Ziek gemeld")
        for pk in rng.sample(soon, min(len(soon), max(1, round(40 * sizes.scale))))
    )
    ahead = [s for s in city.shifts if s.starts_at > city.now + dt.timedelta(days=7)]
    offers = {}
    for shift in rng.sample(ahead, min(len(ahead), max(1, round(len(ahead) * 0.02)))):
        cluster_id = rng.choice(list(city.clusters.values()))
        offers[(shift.id, cluster_id)] = ClusterOffer(
            shift_id=shift.id,
            cluster_id=cluster_id,
            places=1,
            release_at=shift.starts_at - dt.timedelta(days=5),
        )
    ClusterOffer.objects.bulk_create(offers.values())
    city.counts["shifts"] = len(city.shifts)
    city.counts["signups"] = len(signups)
    city.counts["signups_confirmed"] = sum(s.confirmed for s in city.shifts)


def _fill_places(city: City, sizes: Sizes, rng: random.Random, pool: list[int]) -> None:
    """Decides how many places each shift has taken and by whom.

    Each place is taken with a probability proportional to a weight (busy hubs and
    near dates fuller), scaled so that the places add up to the target; within one
    dagdeel (date × dagdeel) the people are distinct: one place per person."""
    weights = []
    for shift in city.shifts:
        weeks_ahead = max(0.0, (shift.date - city.today).days / 7)
        hub_factor = 1.2 if shift.hub_id in city.busy_ids else 1.0
        weight = 0.0 if shift.cancelled else hub_factor * max(0.2, 1.0 - 0.09 * weeks_ahead)
        weights.append(weight)
    target = sizes.signups * SIGNUP_SHARES["confirmed"]
    capacity = sum(s.max_staff * w for s, w in zip(city.shifts, weights, strict=True))
    factor = target / capacity if capacity else 0.0
    for _round in range(3):  # a shift is never fuller than full: raise the factor to make up
        expected = sum(
            s.max_staff * min(1.0, factor * w) for s, w in zip(city.shifts, weights, strict=True)
        )
        if expected <= 0 or expected >= target * 0.99:
            break
        factor *= target / expected
    dagdelen = defaultdict(list)
    for shift, weight in zip(city.shifts, weights, strict=True):
        p = min(1.0, factor * weight)
        shift.confirmed = sum(1 for _ in range(shift.max_staff) if rng.random() < p)
        dagdelen[(shift.date, shift.dagdeel)].append(shift)
    limit = int(len(pool) * 0.9)
    for shifts in dagdelen.values():
        wanted = sum(s.confirmed for s in shifts)
        while wanted > limit:  # a tiny city has fewer people than a dagdeel would take
            max(shifts, key=lambda s: s.confirmed).confirmed -= 1
            wanted -= 1
        people = rng.sample(pool, wanted)
        for shift in shifts:
            shift.people, people = set(people[: shift.confirmed]), people[shift.confirmed :]


def _signup_rows(city: City, sizes: Sizes, rng: random.Random, pool: list[int]):
    """The SignUp rows: the places, waitlists on full dagdelen, places given back."""
    now = city.now
    sid = next_id(SignUp)
    in_dagdeel = defaultdict(set)  # (date, dagdeel) -> people with a place in it
    for shift in city.shifts:
        in_dagdeel[(shift.date, shift.dagdeel)] |= shift.people

    def row(shift, user_id, status, created, attended=None, cancelled_at=None):
        nonlocal sid
        sid += 1
        return {
            "id": sid - 1,
            "shift": shift.id,
            "user": user_id,
            "date": shift.date,
            "dagdeel": shift.dagdeel,
            "status": status,
            "cluster": city.user_cluster[user_id],
            "attended": attended,
            "created_at": created,
            "confirmed_at": created if status != SignUpStatus.WAITLISTED else None,
            "cancelled_at": cancelled_at,
        }

    def signed_up_before(shift, hours_from, hours_to):
        before = shift.starts_at - dt.timedelta(hours=rng.uniform(hours_from, hours_to))
        return min(now - dt.timedelta(minutes=5), before)

    for shift in city.shifts:
        for user_id in sorted(shift.people):
            attended = None
            if shift.starts_at <= now:  # the host marked who came
                r = rng.random()
                attended = True if r < 0.93 else (False if r < 0.98 else None)
            created = signed_up_before(shift, 2, 1000)
            yield row(shift, user_id, SignUpStatus.CONFIRMED, created, attended)
    full = [s for s in city.shifts if s.confirmed == s.max_staff and not s.cancelled]
    per_full = sizes.signups * SIGNUP_SHARES["waitlisted"] / max(1, len(full))
    for shift in full:
        count = _round_random(rng, per_full)
        busy = in_dagdeel[(shift.date, shift.dagdeel)]
        waiting = [pk for pk in set(rng.sample(pool, min(len(pool), count + 5))) if pk not in busy]
        for user_id in sorted(waiting)[:count]:
            yield row(shift, user_id, SignUpStatus.WAITLISTED, signed_up_before(shift, 1, 300))
    live = [s for s in city.shifts if not s.cancelled]
    for shift in rng.choices(live, k=round(sizes.signups * SIGNUP_SHARES["cancelled"])):
        user_id = rng.choice(pool)
        if user_id in shift.people:
            continue
        created = signed_up_before(shift, 50, 1200)
        given_back = min(
            now - dt.timedelta(minutes=1), created + dt.timedelta(hours=rng.uniform(1, 48))
        )
        yield row(shift, user_id, SignUpStatus.CANCELLED, created, cancelled_at=given_back)


# --- the desk ---------------------------------------------------------------------------------


@dataclass
class DeskChoices:
    """What a question is drawn from: topics (Zipf-like), destinations, articles."""

    topic_ids: list[int]
    topic_cum: list[float]
    main_of: dict[int, int]
    referrals: dict[int, list[int]]
    articles_by_main: dict[int, list[int]]
    language_cum: list[float]

    @classmethod
    def load(cls, city: City, rng: random.Random) -> DeskChoices:
        topics = list(Topic.objects.filter(is_active=True).order_by("pk"))
        main_of = {t.pk: t.parent_id or t.pk for t in topics}
        # A few topics make most of the questions; subtopics rank before main topics
        # (the desk asks for a subtopic when there is one).
        subtopics = [t.pk for t in topics if t.parent_id]
        rng.shuffle(subtopics)
        ranked = subtopics + [t.pk for t in topics if not t.parent_id]
        articles_by_main = defaultdict(list)
        for article_id, topic_id in Article.topics.through.objects.values_list(
            "article_id", "topic_id"
        ):
            articles_by_main[main_of.get(topic_id, topic_id)].append(article_id)
        everywhere = list(
            ReferralTarget.objects.filter(all_hubs=True, is_active=True).values_list(
                "pk", flat=True
            )
        )
        local = defaultdict(list)
        for target_id, hub_id in ReferralTarget.hubs.through.objects.values_list(
            "referraltarget_id", "hub_id"
        ):
            local[hub_id].append(target_id)
        return cls(
            topic_ids=ranked,
            topic_cum=_cumulative(1.0 / (rank + 1) ** 1.07 for rank in range(len(ranked))),
            main_of=main_of,
            referrals={hub.pk: everywhere + local[hub.pk] for hub in city.hubs},
            articles_by_main=dict(articles_by_main),
            language_cum=_cumulative(LANGUAGE_WEIGHTS),
        )


def _questions(city: City, sizes: Sizes, rng: random.Random, stream) -> None:
    """Desk questions in the dagdelen that took place, callbacks with their attempts
    and timeline, and knowledge gaps."""
    now = city.now
    choices = DeskChoices.load(city, rng)
    held = []  # (weight, shift) for the dagdelen that took place
    for shift in city.shifts:
        if shift.cancelled or shift.starts_at >= now:
            continue
        weight = (
            city.hub_weight[shift.hub_id]
            * WEEKDAY_FACTOR[shift.date.weekday()]
            * DAGDEEL_FACTOR[shift.dagdeel]
            * MONTH_FACTOR.get(shift.date.month, 1.0)
        )
        held.append((weight, shift))
    total_weight = sum(weight for weight, _shift in held) or 1.0
    p_callback = sizes.callbacks / sizes.questions if sizes.questions else 0.0
    callbacks = []  # the questions that became a callback request
    # Before the COPY starts: the connection is busy with it until the last row.
    first_id = next_id(Question)

    def rows():
        qid = first_id
        for weight, shift in held:
            count = _round_random(rng, sizes.questions * weight / total_weight)
            if not count:
                continue
            seconds = max(60.0, (min(shift.ends_at, now) - shift.starts_at).total_seconds())
            authors = city.hosts_by_hub.get(shift.hub_id) or city.users_by_role[Role.KCC]
            topics = rng.choices(choices.topic_ids, cum_weights=choices.topic_cum, k=count)
            languages = rng.choices(LANGUAGES, cum_weights=choices.language_cum, k=count)
            for topic_id, language in zip(topics, languages, strict=True):
                at = shift.starts_at + dt.timedelta(seconds=rng.random() * seconds)
                author = rng.choice(authors)
                r = rng.random()
                referral = article = None
                if r < p_callback:
                    outcome = Outcome.CALLBACK
                    callbacks.append((qid, shift.hub_id, topic_id, at, author, language))
                elif r < p_callback + REFERRED_SHARE:
                    outcome = Outcome.REFERRED
                    referral = rng.choice(choices.referrals[shift.hub_id])
                else:
                    outcome = Outcome.ANSWERED
                    if r > 0.9:  # answered with a kennisbank article
                        found = choices.articles_by_main.get(choices.main_of[topic_id])
                        article = rng.choice(found) if found else None
                yield {
                    "id": qid,
                    "hub": shift.hub_id,
                    "date": shift.date,
                    "dagdeel": shift.dagdeel,
                    "created_at": at,
                    "created_by": author,
                    "topic": topic_id,
                    "outcome": outcome,
                    "referral_target": referral,
                    "note": rng.choice(NOTES) if rng.random() < 0.08 else "",
                    "language": language,
                    "interpreter_needed": language not in ("", "nl") and rng.random() < 0.2,
                    "article": article,
                }
                qid += 1

    with Progress("questions", sizes.questions, stream=stream) as bar:
        city.counts["questions"] = copy_rows(
            Question,
            [
                "id",
                "hub",
                "date",
                "dagdeel",
                "created_at",
                "created_by",
                "topic",
                "outcome",
                "referral_target",
                "note",
                "language",
                "interpreter_needed",
                "article",
            ],  # fmt: skip
            rows(),
            bar,
        )
    _callbacks(city, rng, callbacks, choices.main_of, stream)
    reset_sequences(Question, CallbackRequest, CallbackAttempt, CallbackEvent)
    _gaps(city, sizes, rng, choices.topic_ids)


def _reference(rng: random.Random, taken: set[str]) -> str:
    """Like ``questions.models.new_reference``, but repeatable and never a duplicate."""
    while True:
        code = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(6))
        reference = f"TB-{code[:4]}-{code[4:]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def _callback_status(rng: random.Random, age: dt.timedelta) -> str:
    """Recent callbacks are mostly still open; older ones mostly done, a few forgotten."""
    r = rng.random()
    if age < dt.timedelta(days=10):
        shares = [(CallbackStatus.OPEN, 0.4), (CallbackStatus.CLAIMED, 0.3),
                  (CallbackStatus.COMPLETED, 0.25), (CallbackStatus.UNREACHABLE, 0.05)]  # fmt: skip
    else:
        # 1% forgotten: overdue in the queues for months, the teams' worst case.
        shares = [(CallbackStatus.COMPLETED, 0.88), (CallbackStatus.UNREACHABLE, 0.11),
                  (CallbackStatus.OPEN, 0.005), (CallbackStatus.CLAIMED, 0.005)]  # fmt: skip
    for status, share in shares:
        if r < share:
            return status
        r -= share
    return shares[-1][0]


def _callbacks(city: City, rng: random.Random, made, main_of, stream) -> None:
    """A callback request for every question with that outcome: its team's deadline in
    working days, claimed, attempted, completed or unreachable as its age suggests, and
    the personal data purged 30 days after closing — with its attempts and timeline."""
    now = city.now
    retention = dt.timedelta(days=settings.CALLBACK_RETENTION_DAYS)
    workdays = WorkingDays(city.first - dt.timedelta(days=7), city.last + dt.timedelta(days=90))
    teams = list(city.team_members)
    references: set[str] = set()
    rows, attempts, events = [], [], []
    cid, aid = next_id(CallbackRequest), next_id(CallbackAttempt)
    for qid, hub_id, topic_id, at, author, language in made:
        team = city.topic_team.get(main_of[topic_id]) or rng.choice(teams)
        members = city.team_members[team]
        status = _callback_status(rng, now - at)
        if not members:
            status = CallbackStatus.OPEN
        claimer = claimed_at = first_attempt = closed_at = None
        failed = 0
        own_attempts = len(attempts)
        timeline = [(at, author, CallbackEventKind.CREATED, team)]
        if status != CallbackStatus.OPEN:
            claimer = rng.choice(members)
            hours = max(0.5, (now - at).total_seconds() / 3600)
            claimed_at = at + dt.timedelta(hours=min(hours / 2, rng.uniform(0.5, 40)))
            timeline.append((claimed_at, claimer, CallbackEventKind.CLAIMED, None))
            tries = {
                CallbackStatus.COMPLETED: rng.choice([0, 0, 0, 1, 1, 2]),
                CallbackStatus.UNREACHABLE: city.team_attempts[team],
                CallbackStatus.CLAIMED: rng.choice([0, 0, 1, 2]),
            }[status]
            reached = status == CallbackStatus.COMPLETED
            moment = claimed_at
            # Spread the attempts over the time left, so the last is still in the past.
            room = max(60.0, (now - claimed_at).total_seconds() / (tries + 2))
            for n in range(tries + reached):
                moment += dt.timedelta(seconds=rng.uniform(30, min(room, 2 * 86400)))
                success = reached and n == tries
                result = (
                    AttemptResult.REACHED
                    if success
                    else rng.choice([AttemptResult.NOT_REACHED, AttemptResult.VOICEMAIL])
                )
                attempts.append(
                    {
                        "id": aid,
                        "callback": cid,
                        "at": moment,
                        "by": claimer,
                        "result": result,
                        "note": "Gesproken" if success else "",
                    }  # fmt: skip
                )
                aid += 1
                first_attempt = first_attempt or moment
                failed += not success
            if status in (CallbackStatus.COMPLETED, CallbackStatus.UNREACHABLE):
                closed_at = moment
                kind = (
                    CallbackEventKind.COMPLETED
                    if status == CallbackStatus.COMPLETED
                    else CallbackEventKind.UNREACHABLE
                )
                timeline.append((closed_at, claimer, kind, None))
        purged_at = None
        if closed_at is not None and closed_at + retention < now:
            purged_at = min(now, closed_at + retention + dt.timedelta(hours=rng.uniform(1, 24)))
            timeline.append((purged_at, None, CallbackEventKind.PURGED, None))
            for attempt in attempts[own_attempts:]:
                attempt["note"] = ""  # call notes go with the personal data
        rows.append(
            {
                "id": cid,
                "reference": _reference(rng, references),
                "question": qid,
                "hub": hub_id,
                "team": team,
                "status": status,
                "due_date": workdays.add(timezone.localdate(at), city.team_days[team]),
                "created_at": at,
                "created_by": author,
                "claimed_by": claimer,
                "claimed_at": claimed_at,
                "failed_attempts": failed,
                "first_attempt_at": first_attempt,
                "closed_at": closed_at,
                "result": rng.choice(RESULTS) if status == CallbackStatus.COMPLETED else "",
                "resident_name": ""
                if purged_at
                else f"{rng.choice(FIRST_NAMES)[0]}. {rng.choice(LAST_NAMES)}",
                "phone": "" if purged_at else f"06{rng.randrange(10**8):08d}",
                "email": f"bewoner{cid}@example.org"
                if not purged_at and rng.random() < 0.3
                else "",
                "reachable": "" if purged_at else rng.choice(REACHABLE),
                "question_text": "" if purged_at else rng.choice(QUESTION_TEXTS),
                "language": language or "nl",
                "consent_at": at,
                "purged_at": purged_at,
            }
        )
        events += [
            {
                "callback": cid,
                "at": moment,
                "by": by,
                "kind": kind,
                "from_team": None,
                "to_team": to_team,
                "note": "",
            }  # fmt: skip
            for moment, by, kind, to_team in timeline
        ]
        cid += 1
    with Progress("callbacks", len(rows), stream=stream) as bar:
        copy_rows(CallbackRequest, list(rows[0]) if rows else ["id"], rows, bar)
    with Progress("call attempts", len(attempts), stream=stream) as bar:
        copy_rows(CallbackAttempt, ["id", "callback", "at", "by", "result", "note"], attempts, bar)
    with Progress("callback events", len(events), stream=stream) as bar:
        copy_rows(
            CallbackEvent,
            ["callback", "at", "by", "kind", "from_team", "to_team", "note"],
            events,
            bar,
        )
    city.counts["callbacks"] = len(rows)
    city.counts["callback_attempts"] = len(attempts)
    city.counts["callback_events"] = len(events)


def _gaps(city: City, sizes: Sizes, rng: random.Random, topic_ids) -> None:
    """Knowledge gaps over the period, 40% of them answered by an article since."""
    articles = list(Article.objects.values_list("pk", flat=True))
    span = max(1, int((city.now - _at(city.first, 9)).total_seconds()))
    gaps = []
    for _ in range(sizes.gaps):
        hub = rng.choice(city.hubs)
        gap = KnowledgeGap(
            hub=hub,
            topic_id=rng.choice(topic_ids),
            search_terms=rng.choice(SEARCH_TERMS),
            created_by_id=rng.choice(city.hosts_by_hub.get(hub.pk) or city.users_by_role[Role.KCC]),
        )
        if rng.random() < 0.4:
            gap.resolved_article_id = rng.choice(articles)
        gaps.append(gap)
    KnowledgeGap.objects.bulk_create(gaps, batch_size=2000)
    # created_at is auto_now_add: spread it over the period afterwards.
    table = _qn(KnowledgeGap._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET created_at = %s - random() * %s * interval '1 second'",
            [city.now, span],
        )
        cursor.execute(
            f"UPDATE {table} SET resolved_at = LEAST(%s, created_at + interval '3 days') "
            "WHERE resolved_article_id IS NOT NULL",
            [city.now],
        )
    city.counts["knowledge_gaps"] = len(gaps)


# --- proposals --------------------------------------------------------------------------------


def _proposals(city: City, sizes: Sizes, rng: random.Random, stream) -> None:
    """Proposals in every state, each with its grid, timeline, messages and answers; the
    planned and in-force ones carry the schedule versions made with the hubs."""
    coordinator = city.users_by_role[Role.COORDINATOR][0]
    hubs_by_pk = {h.pk: h for h in city.hubs}
    with_raad = [h for h in city.hubs if city.wijkraad_by_hub.get(h.pk)]
    in_force, planned = list(city.in_force_versions), list(city.planned_versions)
    proposals, grids, timelines, messages, answers = [], [], [], [], []
    for n, status in enumerate(_proposal_plan(sizes)):
        version = None
        if status == Status.IN_FORCE:
            version = in_force.pop()
        elif status == Status.PLANNED:
            version = planned.pop()
        hub = hubs_by_pk[version.hub_id] if version else with_raad[n % len(with_raad)]
        author = rng.choice(city.wijkraad_by_hub.get(hub.pk) or city.users_by_role[Role.WIJKRAAD])
        if version is not None:  # decided well before the new hours start
            created = min(
                _at(version.valid_from, 10) - dt.timedelta(days=rng.randint(40, 90)),
                city.now - dt.timedelta(days=rng.randint(30, 40)),
            )
        elif status == Status.CONCEPT:
            created = city.now - dt.timedelta(days=rng.uniform(1, 20))
        elif status in (Status.SUBMITTED, Status.IN_CONVERSATION):
            created = city.now - dt.timedelta(days=rng.uniform(5, 40))
        else:
            created = city.now - dt.timedelta(days=rng.uniform(40, 360))
        proposal = Proposal(
            hub=hub,
            title=f"{rng.choice(['Vaker open', 'Avondopenstelling', 'Later open', 'Ook open'])}"
            f" op {rng.choice(['maandag', 'dinsdag', 'woensdag', 'donderdag', 'zaterdag'])}",
            argumentation="Bewoners kunnen nu niet terecht wanneer het hen uitkomt (benchmark).",
            desired_start=(created + dt.timedelta(weeks=8)).date(),
            status=status,
            base_version=city.first_versions[hub.pk],
            created_by_id=author,
            created_at=created,
        )
        steps = [("", Status.CONCEPT, author, created, "")]
        moment = created
        if status != Status.CONCEPT:
            moment = created + dt.timedelta(days=rng.uniform(1, 5))
            proposal.submitted_at = moment
            weeks = settings.PROPOSAL_ANSWER_WEEKS
            proposal.answer_due = (moment + dt.timedelta(weeks=weeks)).date()
            steps.append((Status.CONCEPT, Status.SUBMITTED, author, moment, ""))
        talked = status == Status.IN_CONVERSATION or (
            status in (Status.DECIDED, Status.PLANNED, Status.IN_FORCE) and rng.random() < 0.7
        )
        if talked:
            moment += dt.timedelta(days=rng.uniform(1, 7))
            steps.append((Status.SUBMITTED, Status.IN_CONVERSATION, coordinator, moment, ""))
            for k in range(rng.randint(2, 6)):
                internal = rng.random() < 0.25
                messages.append(
                    Message(
                        proposal=proposal,
                        author_id=coordinator if internal or k % 2 == 0 else author,
                        body=rng.choice(INTERNAL_NOTES if internal else MESSAGES),
                        internal=internal,
                        created_at=min(city.now, moment + dt.timedelta(hours=6 * (k + 1))),
                    )
                )
        if status in (Status.DECIDED, Status.PLANNED, Status.IN_FORCE):
            decided = min(city.now, moment + dt.timedelta(days=rng.uniform(3, 20)))
            decision = (
                Decision.REJECTED
                if status == Status.DECIDED
                else rng.choice([Decision.ACCEPTED, Decision.PARTLY])
            )
            proposal.decision, proposal.decided_at = decision, decided
            steps.append((steps[-1][1], Status.DECIDED, coordinator, decided, "Motivering."))
            answers.append(
                Answer(
                    proposal=proposal,
                    decision=decision,
                    motivation="Motivering van het besluit (benchmark).",
                    start_date=version.valid_from if version else None,
                    written_by_id=coordinator,
                    written_at=decided,
                    published_at=decided,
                )
            )
            if version is not None:
                proposal.start_date, proposal.effective_version = version.valid_from, version
                steps.append((Status.DECIDED, Status.PLANNED, coordinator, decided, ""))
                if status == Status.IN_FORCE:
                    at = _at(version.valid_from, 0, 10)  # the nightly task
                    steps.append((Status.PLANNED, Status.IN_FORCE, None, at, ""))
        if status == Status.IN_CONVERSATION and rng.random() < 0.5:
            answers.append(
                Answer(
                    proposal=proposal,
                    decision=Decision.PARTLY,
                    motivation="Concept-antwoord (benchmark).",
                    written_by_id=coordinator,
                    written_at=city.now - dt.timedelta(days=1),
                )
            )
        if status == Status.WITHDRAWN:
            proposal.withdrawn_reason = "Na overleg met de wijkmanager ingetrokken."
            at = moment + dt.timedelta(days=2)
            steps.append(
                (Status.SUBMITTED, Status.WITHDRAWN, author, at, proposal.withdrawn_reason)
            )
        if version is not None:
            grid = [(s.weekday, s.dagdeel) for s in version.slots.all()]
        else:
            grid = list(city.patterns[hub.pk])
            extra = [c for c, _w in PATTERN_CANDIDATES if c not in grid]
            grid = sorted([*grid, *rng.sample(extra, min(1, len(extra)))])
        proposals.append(proposal)
        grids.append(grid)
        timelines.append(steps)
    Proposal.objects.bulk_create(proposals)
    ProposalSlot.objects.bulk_create(
        ProposalSlot(
            proposal=proposal,
            kind=SlotKind.PROPOSED,
            weekday=day,
            dagdeel=dagdeel,
            start_time=DEFAULT_TIMES[dagdeel][0],
            end_time=DEFAULT_TIMES[dagdeel][1],
        )
        for proposal, grid in zip(proposals, grids, strict=True)
        for day, dagdeel in grid
    )
    Transition.objects.bulk_create(
        Transition(proposal=proposal, from_status=a, to_status=b, by_id=by, at=at, note=note)
        for proposal, steps in zip(proposals, timelines, strict=True)
        for a, b, by, at, note in steps
    )
    for message in messages:
        message.proposal_id = message.proposal.pk
    for answer in answers:
        answer.proposal_id = answer.proposal.pk
    Message.objects.bulk_create(messages)
    Answer.objects.bulk_create(answers)
    city.counts["proposals"] = len(proposals)
