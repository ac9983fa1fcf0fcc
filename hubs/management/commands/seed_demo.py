"""manage.py seed_demo: the demo city. Safe to run again (idempotent).

Besides the city itself (hubs, schedules, users, a roster ahead, the desk's topics
and teams, wijkraad proposals) it gives the city half a year of past
(``reports.demo.seed_history``) and rolls that up for the report pages.
"""

import contextlib
import datetime as dt
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment, User
from hubs import demo_data as demo
from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import (
    ClosingDay,
    Closure,
    Gebied,
    Hub,
    MobileStop,
    OpeningSlot,
    ScheduleVersion,
)
from hubs.opening import aware
from hubs.services import closing_days_refresh
from reports.demo import history_start, seed_history
from reports.models import RollupWeek
from reports.rollup import rebuild_all
from scheduling.constants import HandoverStatus
from scheduling.models import ClusterOffer, HandoverRequest, Shift, SignUp
from scheduling.services import RosterError, shifts_sync, signup_create, waitlist_join

# (email, first name, last name, role, hub names for hub roles, cluster)
DEMO_USERS = [
    ("host@example.org", "Hanna", "Host", Role.HOST, ["Feijenoord", "Bloemhof"], None),
    ("medewerker@example.org", "Mehmet", "Medewerker", Role.MEDEWERKER, [], "Stadsbeheer"),
    ("kcc@example.org", "Kim", "KCC", Role.KCC, [], "Dienstverlening"),
    (
        "wijkmanager@example.org",
        "Wendy",
        "Wijkmanager",
        Role.WIJKMANAGER,
        ["Feijenoord", "Bloemhof", "Afrikaanderwijk", "Hillesluis"],
        "Bestuursdienst",
    ),
    ("wijkraad@example.org", "Wim", "Wijkraad", Role.WIJKRAAD, ["Feijenoord"], None),
    ("coordinator@example.org", "Carla", "Coördinator", Role.COORDINATOR, [], "Bestuursdienst"),
]

# The demo staff who work the dagdelen (medewerker01..NN@example.org): enough people
# for every hub open on a Monday morning, as nobody can be in two places at once.
STAFF_COUNT = 120
STAFF_FIRST_NAMES = [
    "Ahmed",
    "Bram",
    "Chantal",
    "Dewi",
    "Esra",
    "Fleur",
    "Gijs",
    "Hatice",
    "Ivo",
    "Joyce",
    "Karim",
    "Lotte",
    "Mo",
    "Noor",
    "Oscar",
    "Priya",
    "Quinten",
    "Romy",
    "Sanne",
    "Tarik",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
]
STAFF_LAST_NAMES = ["de Vries", "Yilmaz", "El Amrani", "Pinas", "Nowak", "Bakker", "Kaya"]

# Some of the hubs with the basic pattern open on Wednesday afternoon instead of
# Tuesday afternoon (four dagdelen over three days: still the norm).
PATTERN_WEDNESDAY = [(0, "ochtend"), (2, "middag"), (3, "ochtend"), (3, "middag")]
WEDNESDAY_HUBS = {
    "Hillesluis",
    "Delfshaven-Schiemond",
    "Middelland-Nieuwe Westen",
    "Agniesebuurt-Provenierswijk",
    "Schiebroek",
    "Zevenkamp",
    "Vreewijk",
    "Lombardijen",
    "Pendrecht-Zuidwijk",
    "Hoogvliet",
}
DEMO_SCHEDULE_NOTE = "Demo-openingstijden"


class Command(BaseCommand):
    help = (
        "Loads the demo city: 39 hubs and the mobile hub, schedules, closing days, users, "
        "and half a year of past for the reports."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self._clock = self._started = time.monotonic()
        self.password = make_password(demo.DEMO_PASSWORD)  # hashed once: it is slow on purpose
        now = timezone.now()
        today = timezone.localdate(now)
        first = history_start(today)
        closing_days_refresh(years=sorted({first.year, today.year, today.year + 1}))
        clusters = {name: Cluster.objects.get_or_create(name=name)[0] for name in demo.CLUSTERS}
        self._step("closing days and clusters")
        hubs = self._hubs(today, first)
        self._step("hubs, schedules and stops")
        self._users(hubs, clusters)
        staff = self._staff(clusters)
        self._step("users")
        self._roster(hubs, clusters, staff, today)
        self._step("roster ahead")
        self._desk(clusters)
        self._step("topics, kennisbank and teams")
        self._proposals(hubs, today)
        shifts_sync()  # the shifts ahead follow the proposal that changed opening hours
        self._step("proposals")
        # After the proposals: one of them changed a hub's opening hours two weeks ago.
        history = seed_history(now=now, step=self._step)
        self.stdout.write(
            f"History since {first:%d-%m-%Y}: {history.shifts} shifts "
            f"({history.cancelled} cancelled), {history.signups} sign-ups, "
            f"{history.questions} questions, {history.callbacks} callback requests, "
            f"{history.gaps} knowledge gaps."
        )
        rows = rebuild_all(now=now)
        weeks = RollupWeek.objects.count()
        self._step("report rollups")
        self.stdout.write(f"Reports: {weeks} weeks rolled up into {rows} figures.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Hub.objects.count()} hubs, {User.objects.count()} users."
            )
        )
        if self.verbosity >= 2:
            self.stdout.write(f"Seeding took {time.monotonic() - self._started:.1f} s.")
        self.stdout.write(f"Demo logins (password for each: {demo.DEMO_PASSWORD}):")
        for email, _first, _last, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {Role(role).label}")

    def _step(self, name: str) -> None:
        """With -v 2: how long the step that just ended took."""
        now = time.monotonic()
        if self.verbosity >= 2:
            self.stdout.write(f"  {name}: {now - self._clock:.2f} s")
        self._clock = now

    def _create_user(self, email: str, **fields) -> User:
        """A demo account with the demo password, hashed once for all of them."""
        return User.objects.create(email=email, password=self.password, **fields)

    def _hubs(self, today, first):
        hubs = {}
        for gebied_name, entries in demo.HUBS.items():
            gebied, _ = Gebied.objects.get_or_create(
                slug=slugify(gebied_name), defaults={"name": gebied_name}
            )
            for name, address, postcode, lat, lon in entries:
                note = "" if name in demo.KNOWN_ADDRESSES else " Demo-gegevens: adres verzonnen."
                hub, _ = Hub.objects.update_or_create(
                    slug=slugify(name),
                    defaults={
                        "name": name,
                        "gebied": gebied,
                        "wijk": name,
                        "address": address,
                        "postcode": postcode,
                        "latitude": lat,
                        "longitude": lon,
                        "phone": "14010",
                        "email": f"wijkhub.{slugify(name)}@example.org",
                        "description": (
                            f"Wijkhub voor de wijk {name}: loop binnen met al uw "
                            f"vragen aan de gemeente.{note}"
                        ),
                    },
                )
                hubs[name] = hub
                if name in demo.BELOW_NORM_HUBS:
                    pattern = demo.PATTERN_BELOW_NORM
                elif name in demo.BUSY_HUBS:
                    pattern = demo.PATTERN_WIDE
                elif name in WEDNESDAY_HUBS:
                    pattern = PATTERN_WEDNESDAY
                else:
                    pattern = demo.PATTERN_BASIC
                self._schedule(hub, first, pattern)
        centrum = Gebied.objects.get(slug="centrum")
        mobile, _ = Hub.objects.update_or_create(
            slug="mobiele-wijkhub",
            defaults={
                "name": demo.MOBILE_HUB,
                "gebied": centrum,
                "is_mobile": True,
                "phone": "14010",
                "description": "De wijkhub op wielen komt naar u toe: zie de haltes.",
            },
        )
        hubs[demo.MOBILE_HUB] = mobile
        self._schedule(mobile, first, [(d, "ochtend") for d in range(5)])
        self._mobile_stops(mobile, first, today + dt.timedelta(days=27))
        # A planned renovation, and a change of schedule planned ahead.
        Closure.objects.get_or_create(
            hub=hubs["Kralingen"],
            reason="Verbouwing (demo)",
            defaults={
                "start_date": today + dt.timedelta(days=9),
                "end_date": today + dt.timedelta(days=12),
            },
        )
        next_month = today + dt.timedelta(days=35 - today.weekday())
        self._schedule(
            hubs["Crooswijk"],
            next_month,
            demo.PATTERN_WIDE + [(5, "ochtend")],
            note="Zaterdagochtend erbij (demo: voorstel wijkraad)",
        )
        return hubs

    def _mobile_stops(self, mobile, first, last):
        """The mobile hub's weekday morning stops, in turn, from ``first`` to ``last``."""
        have = set(MobileStop.objects.filter(hub=mobile).values_list("date", flat=True))
        closed = set(ClosingDay.objects.closed().values_list("date", flat=True))
        stops = []
        for n in range((last - first).days + 1):
            day = first + dt.timedelta(days=n)
            if day.weekday() < 5 and day not in have and day not in closed:
                place, address = demo.MOBILE_STOPS[n % len(demo.MOBILE_STOPS)]
                stops.append(
                    MobileStop(
                        hub=mobile,
                        date=day,
                        dagdeel=Dagdeel.OCHTEND,
                        place=place,
                        address=address,
                    )
                )
        MobileStop.objects.bulk_create(stops)

    def _schedule(self, hub, valid_from, pattern, note=DEMO_SCHEDULE_NOTE):
        # ``valid_from`` moves with the day the command runs: on a later day a
        # fresh copy would override the schedules edited in the demo since.
        mine = hub.schedule_versions.filter(note=note).exclude(valid_from=valid_from)
        if mine.exists():
            # A demo seeded before there was a history: its first schedule reaches
            # back to where the history starts now (nothing was in force before it).
            earliest = hub.schedule_versions.order_by("valid_from").first()
            if earliest.note == note and earliest.valid_from > valid_from:
                earliest.valid_from = valid_from
                earliest.save(update_fields=["valid_from"])
            return
        version, created = ScheduleVersion.objects.get_or_create(
            hub=hub, valid_from=valid_from, defaults={"note": note}
        )
        if created or not version.slots.exists():
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

    def _users(self, hubs, clusters):
        for email, first, last, role, hub_names, cluster in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = self._create_user(email)
            user.first_name, user.last_name = first, last
            user.cluster = clusters.get(cluster)
            if role == Role.COORDINATOR:
                user.is_staff = user.is_superuser = True  # may also use the back office
            user.save()
            if hub_names:
                for name in hub_names:
                    RoleAssignment.objects.get_or_create(user=user, role=role, hub=hubs[name])
            else:
                RoleAssignment.objects.get_or_create(user=user, role=role, hub=None)

    def _staff(self, clusters) -> list[User]:
        """The demo staff (every sixth one works for the KCC), created once."""
        emails = [f"medewerker{n + 1:02d}@example.org" for n in range(STAFF_COUNT)]
        have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        cluster_list = list(clusters.values())
        new = [
            User(
                email=email,
                password=self.password,
                first_name=STAFF_FIRST_NAMES[n % len(STAFF_FIRST_NAMES)],
                # The first 24 were the whole demo staff once; their names stay.
                last_name="(demo)"
                if n < len(STAFF_FIRST_NAMES)
                else f"{STAFF_LAST_NAMES[n % len(STAFF_LAST_NAMES)]} (demo)",
                cluster=cluster_list[n % len(cluster_list)],
            )
            for n, email in enumerate(emails)
            if email not in have
        ]
        User.objects.bulk_create(new)
        staff = sorted(User.objects.filter(email__in=emails), key=lambda u: emails.index(u.email))
        has_role = set(
            RoleAssignment.objects.filter(user__in=staff, hub=None).values_list(
                "user_id", flat=True
            )
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=Role.KCC if n % 6 == 0 else Role.MEDEWERKER, hub=None)
            for n, user in enumerate(staff)
            if user.pk not in has_role
        )
        return staff

    def _roster(self, hubs, clusters, staff, today):
        """Shifts for the horizon and a realistic roster: some dagdelen full, some
        short, a waitlist, a cluster offer and a hand-over request."""
        result = shifts_sync()
        self.stdout.write(f"Shifts ahead: {result.created} created, {result.cancelled} cancelled.")
        if SignUp.objects.filter(date__gte=today).exists():
            return
        horizon = today + dt.timedelta(days=21)
        shifts = list(
            Shift.objects.active()
            .filter(date__range=(today, horizon), starts_at__gt=timezone.now())
            .select_related("hub")
            .order_by("date", "starts_at", "hub__name")
        )
        busy = {hubs[name].pk for name in demo.BUSY_HUBS}
        for i, shift in enumerate(shifts):
            # Busy hubs fill up, most others reach their minimum, every fifth stays short.
            wanted = (
                shift.max_staff
                if shift.hub_id in busy
                else (shift.min_staff - 1 if i % 5 == 0 else shift.min_staff)
            )
            for k in range(wanted):
                person = staff[(i * 3 + k) % len(staff)]
                try:
                    signup_create(shift_id=shift.pk, user=person)
                except RosterError:
                    continue
        medewerker = User.objects.get(email="medewerker@example.org")
        for shift in [s for s in shifts if s.hub_id not in busy][:3]:
            with contextlib.suppress(RosterError):
                signup_create(shift_id=shift.pk, user=medewerker)
        full = Shift.objects.filter(pk__in=[s.pk for s in shifts if s.hub_id in busy])
        full = full.filter(confirmed_count=models.F("max_staff")).first()
        if full:
            for person in staff[-2:]:
                try:
                    waitlist_join(shift_id=full.pk, user=person)
                except RosterError:
                    continue
        soon = [s for s in shifts if s.starts_at < timezone.now() + dt.timedelta(hours=48)]
        for shift in soon:
            signup = SignUp.objects.confirmed().filter(shift=shift).first()
            if signup:
                HandoverRequest.objects.get_or_create(
                    signup=signup,
                    status=HandoverStatus.OPEN,
                    defaults={"reason": "Ziek gemeld (demo)"},
                )
                break
        stadsbeheer = clusters["Stadsbeheer"]
        for shift in [s for s in shifts if s.date >= today + dt.timedelta(days=7)][:20]:
            ClusterOffer.objects.get_or_create(
                shift=shift,
                cluster=stadsbeheer,
                defaults={"places": 1, "release_at": timezone.now() + dt.timedelta(days=5)},
            )

    def _desk(self, clusters):
        """The desk's topics and destinations, the kennisbank and the callback teams.
        The questions and callbacks themselves come with the history."""
        from questions.demo import seed_topics
        from questions.demo_articles import seed_articles
        from questions.models import Team

        seed_topics()
        seed_articles()
        users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
        for name, cluster, members in [
            ("Team Wonen", "Stadsontwikkeling", ["kcc@example.org", "medewerker01@example.org"]),
            (
                "Team Werk en Inkomen",
                "Werk en Inkomen",
                ["kcc@example.org", "medewerker02@example.org"],
            ),
            ("Team Belastingen", "Dienstverlening", ["kcc@example.org"]),
            ("Team Stadsbeheer", "Stadsbeheer", ["medewerker@example.org"]),
            ("Team Zorg en Welzijn", "Maatschappelijke Ontwikkeling", ["medewerker03@example.org"]),
        ]:
            team, _ = Team.objects.get_or_create(name=name, defaults={"cluster": clusters[cluster]})
            team.members.add(*[users[m] for m in members if m in users])

    def _proposals(self, hubs, today):
        """Wijkraad proposals in every state, across a few hubs, made over the past
        months: each one's timeline (``_backdate``) says how many days ago each step was."""
        from proposals.constants import Decision, Status
        from proposals.models import Proposal
        from proposals.services import (
            answer_save_draft,
            proposal_create,
            proposal_decide,
            proposal_message,
            proposal_transition,
            proposals_bring_into_force,
        )

        if Proposal.objects.exists():
            return
        coordinator = User.objects.get(email="coordinator@example.org")
        members = {}
        for name in [
            "Feijenoord",
            "Bloemhof",
            "Crooswijk",
            "Hillesluis",
            "Ommoord",
            "Tarwewijk",
            "Heijplaat",
        ]:
            if name == "Feijenoord":
                member = User.objects.get(email="wijkraad@example.org")
            else:
                email = f"wijkraad.{slugify(name)}@example.org"
                member = User.objects.filter(email=email).first() or self._create_user(
                    email, first_name="Wijkraad", last_name=f"{name} (demo)"
                )
            RoleAssignment.objects.get_or_create(user=member, role=Role.WIJKRAAD, hub=hubs[name])
            members[name] = member
        start = today + dt.timedelta(days=42 - today.weekday())

        def slots(pattern):
            return [
                {
                    "weekday": d,
                    "dagdeel": dd,
                    "start_time": DEFAULT_TIMES[dd][0],
                    "end_time": DEFAULT_TIMES[dd][1],
                }
                for d, dd in pattern
            ]

        def new(name, title, pattern, argument):
            return proposal_create(
                hub=hubs[name],
                user=members[name],
                title=title,
                argumentation=argument,
                desired_start=start,
                slots=slots(pattern),
            )

        def submit(p):
            return proposal_transition(
                proposal_id=p.pk,
                user=members[p.hub.name],
                to=Status.SUBMITTED,
                expected=Status.CONCEPT,
            )

        def reject(p, motivation):
            return proposal_decide(
                proposal_id=p.pk,
                user=coordinator,
                expected=Status.SUBMITTED,
                decision=Decision.REJECTED,
                motivation=motivation,
            )

        wide = demo.PATTERN_WIDE
        # Decided last spring and summer (rejected, so today's opening hours stand)
        p = submit(
            new(
                "Ommoord",
                "Zondagmiddag open",
                demo.PATTERN_BASIC + [(6, "middag")],
                "Op zondag hebben mantelzorgers tijd. (demo)",
            )
        )
        p = reject(p, "Op zondag is er geen bezetting te vinden. (demo)")
        self._backdate(p, today, [170, 166, 141])
        p = submit(
            new(
                "Hillesluis",
                "Vrijdagochtend erbij",
                demo.PATTERN_BASIC + [(4, "ochtend")],
                "Op vrijdag is de markt op het Afrikaanderplein. (demo)",
            )
        )
        p = reject(p, "De Afrikaanderwijk is op vrijdagochtend al open, vlakbij. (demo)")
        self._backdate(p, today, [150, 147, 120])
        # Concept
        p = new(
            "Heijplaat",
            "Vaker open op Heijplaat",
            demo.PATTERN_BASIC,
            "Heijplaat zit onder de norm; bewoners moeten nu naar Charlois. (demo)",
        )
        self._backdate(p, today, [3])
        # Submitted
        p = submit(
            new(
                "Ommoord",
                "Avondopenstelling op dinsdag",
                demo.PATTERN_BASIC + [(1, "avond")],
                "Werkende ouders kunnen alleen 's avonds langskomen. (demo)",
            )
        )
        self._backdate(p, today, [11, 9])
        # In conversation (and past its answer date), with a reply and an internal note
        p = submit(
            new(
                "Tarwewijk",
                "Zaterdagochtend in plaats van vrijdag",
                [d for d in demo.PATTERN_BASIC if d[0] != 4] + [(5, "ochtend")],
                "Op zaterdag is de markt: dan zijn bewoners in de buurt. (demo)",
            )
        )
        p = proposal_transition(
            proposal_id=p.pk, user=coordinator, to=Status.IN_CONVERSATION, expected=Status.SUBMITTED
        )
        proposal_message(
            proposal_id=p.pk,
            user=coordinator,
            body="Dank voor uw voorstel. Kunnen we op 12 december in gesprek? (demo)",
        )
        proposal_message(
            proposal_id=p.pk,
            user=members["Tarwewijk"],
            body="Graag, om 19:00 in het wijkcentrum. (demo)",
        )
        proposal_message(
            proposal_id=p.pk,
            user=coordinator,
            internal=True,
            body="Bezetting op zaterdag navragen bij cluster Stadsbeheer. (demo)",
        )
        answer_save_draft(
            proposal_id=p.pk,
            user=coordinator,
            decision=Decision.PARTLY,
            motivation="Concept: zaterdag ja, vrijdag blijft ook. (demo)",
            start_date=start,
        )
        self._backdate(p, today, [40, 38, 31], messages=[31, 29, 28], drafts=[6])
        # Rejected
        p = submit(
            new(
                "Hillesluis",
                "Elke dag open",
                [(d, "ochtend") for d in range(7)],
                "Bewoners willen elke dag terecht kunnen. (demo)",
            )
        )
        p = reject(
            p,
            "Op zondag is er te weinig vraag en geen bezetting; "
            "we bekijken de avond opnieuw in het voorjaar. (demo)",
        )
        self._backdate(p, today, [62, 60, 35])
        # Planned (partly accepted, with the adopted grid)
        p = submit(
            new(
                "Bloemhof",
                "Ook op woensdagavond open",
                wide + [(2, "middag")],
                "Veel vragen over brieven op woensdag. (demo)",
            )
        )
        p = proposal_decide(
            proposal_id=p.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.PARTLY,
            start_date=start,
            motivation="De woensdagmiddag komt erbij; de avond blijft zoals hij is. (demo)",
            adopted_slots=slots(wide + [(2, "middag")]),
        )
        self._backdate(p, today, [45, 43, 18, 18])
        # In force (accepted; its start date moved into the past for the demo)
        p = submit(
            new(
                "Crooswijk",
                "Maandagavond voor werkenden",
                wide + [(0, "avond")],
                "Werkenden kunnen pas na 18:00. (demo)",
            )
        )
        p = proposal_decide(
            proposal_id=p.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.ACCEPTED,
            start_date=start + dt.timedelta(days=7),
            motivation="Akkoord: de maandagavond gaat open. (demo)",
        )
        past = today - dt.timedelta(days=today.weekday() + 14)
        if not p.hub.schedule_versions.filter(valid_from=past).exists():
            p.effective_version.valid_from = past
            p.effective_version.save(update_fields=["valid_from"])
            Proposal.objects.filter(pk=p.pk).update(start_date=past, desired_start=past)
        proposals_bring_into_force(today=today)
        in_force = (today - past).days
        self._backdate(
            p, today, [in_force + 60, in_force + 56, in_force + 28, in_force + 28, in_force]
        )
        # Withdrawn
        p = submit(
            new(
                "Feijenoord",
                "Later open op donderdag",
                demo.PATTERN_WIDE,
                "Donderdagochtend is het rustig. (demo)",
            )
        )
        p = proposal_transition(
            proposal_id=p.pk,
            user=members["Feijenoord"],
            to=Status.WITHDRAWN,
            expected=Status.SUBMITTED,
            note="Na overleg met de wijkmanager trekken we dit in. (demo)",
        )
        self._backdate(p, today, [30, 28, 21])
        self.stdout.write(f"Proposals: {Proposal.objects.count()} in every state.")

    def _backdate(self, proposal, today, steps, messages=(), drafts=()):
        """Moves a proposal's timeline into the past. ``steps``: days ago of each status
        change in order (the first is when it was made); ``messages`` and ``drafts``:
        days ago of its messages and unpublished answers. Steps fall in office hours."""
        from proposals.constants import Status
        from proposals.models import Answer, Message, Transition

        def moment(days_ago, hour):
            return aware(today - dt.timedelta(days=days_ago), dt.time(hour, 15))

        transitions = list(proposal.transitions.order_by("at", "pk"))
        assert len(transitions) == len(steps), (proposal.title, len(transitions))
        fields = {"created_at": moment(steps[0], 10)}
        for n, (step, days_ago) in enumerate(zip(transitions, steps, strict=True)):
            step.at = moment(days_ago, 10 + n)  # same-day steps keep their order
            if step.to_status == Status.SUBMITTED:
                fields["submitted_at"] = step.at
                fields["answer_due"] = step.at.date() + dt.timedelta(
                    weeks=settings.PROPOSAL_ANSWER_WEEKS
                )
            if step.to_status == Status.DECIDED:
                fields["decided_at"] = step.at
        Transition.objects.bulk_update(transitions, ["at"])
        type(proposal).objects.filter(pk=proposal.pk).update(**fields)
        for message, days_ago in zip(
            Message.objects.filter(proposal=proposal).order_by("created_at", "pk"),
            messages,
            strict=True,
        ):
            Message.objects.filter(pk=message.pk).update(created_at=moment(days_ago, 14))
        answers = Answer.objects.filter(proposal=proposal)
        if "decided_at" in fields:
            answers.filter(published_at__isnull=False).update(
                written_at=fields["decided_at"], published_at=fields["decided_at"]
            )
        for answer, days_ago in zip(
            answers.filter(published_at__isnull=True).order_by("written_at", "pk"),
            drafts,
            strict=True,
        ):
            Answer.objects.filter(pk=answer.pk).update(written_at=moment(days_ago, 16))
