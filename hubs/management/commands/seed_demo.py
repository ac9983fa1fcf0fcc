"""manage.py seed_demo: the demo city. Safe to run again (idempotent)."""

import contextlib
import datetime as dt

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment, User
from hubs import demo_data as demo
from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import Closure, Gebied, Hub, MobileStop, OpeningSlot, ScheduleVersion
from hubs.services import closing_days_refresh
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


class Command(BaseCommand):
    help = "Loads the demo city: 39 hubs and the mobile hub, schedules, closing days, users."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        closing_days_refresh(years=[today.year, today.year + 1])
        clusters = {name: Cluster.objects.get_or_create(name=name)[0] for name in demo.CLUSTERS}
        hubs = self._hubs(today)
        self._users(hubs, clusters)
        self._roster(hubs, clusters, today)
        self._questions(hubs, clusters, today)
        self._proposals(hubs, today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Hub.objects.count()} hubs, {User.objects.count()} users."
            )
        )
        self.stdout.write(f"Demo logins (password for each: {demo.DEMO_PASSWORD}):")
        for email, _first, _last, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {Role(role).label}")

    def _hubs(self, today):
        hubs = {}
        first_monday = today - dt.timedelta(days=today.weekday() + 28)
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
                else:
                    pattern = demo.PATTERN_BASIC
                self._schedule(hub, first_monday, pattern)
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
        self._schedule(mobile, first_monday, [(d, "ochtend") for d in range(5)])
        for n in range(28):
            day = today + dt.timedelta(days=n)
            if day.weekday() < 5:
                place, address = demo.MOBILE_STOPS[n % len(demo.MOBILE_STOPS)]
                MobileStop.objects.get_or_create(
                    hub=mobile,
                    date=day,
                    dagdeel=Dagdeel.OCHTEND,
                    defaults={"place": place, "address": address},
                )
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

    def _schedule(self, hub, valid_from, pattern, note="Demo-openingstijden"):
        # ``valid_from`` moves with the day the command runs: on a later day a
        # fresh copy would override the schedules edited in the demo since.
        if hub.schedule_versions.filter(note=note).exclude(valid_from=valid_from).exists():
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
                user = User.objects.create_user(email, demo.DEMO_PASSWORD)
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

    def _roster(self, hubs, clusters, today):
        """Shifts for the horizon and a realistic roster: some dagdelen full, some
        short, a waitlist, a cluster offer and a hand-over request."""
        result = shifts_sync()
        self.stdout.write(f"Shifts: {result.created} created, {result.cancelled} cancelled.")
        if SignUp.objects.exists():
            return
        names = [
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
        staff = []
        cluster_list = list(clusters.values())
        for n, first in enumerate(names):
            email = f"medewerker{n + 1:02d}@example.org"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email,
                demo.DEMO_PASSWORD,
                first_name=first,
                last_name="(demo)",
                cluster=cluster_list[n % len(cluster_list)],
            )
            RoleAssignment.objects.get_or_create(
                user=user, role=Role.KCC if n % 6 == 0 else Role.MEDEWERKER, hub=None
            )
            staff.append(user)
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

    def _questions(self, hubs, clusters, today):
        """Six weeks of desk questions, teams, and callbacks in every state."""
        import random

        from questions.constants import AttemptResult, Outcome
        from questions.demo import seed_topics
        from questions.demo_articles import seed_articles
        from questions.models import (
            CallbackRequest,
            Question,
            ReferralTarget,
            Team,
            Topic,
        )
        from questions.services import (
            callback_claim,
            callback_complete,
            callback_create,
            callback_log_attempt,
            callbacks_purge,
        )

        seed_topics()
        seed_articles()
        users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
        teams = {}
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
            teams[name] = team
        if Question.objects.exists():
            return
        rng = random.Random(2026)
        subtopics = list(Topic.objects.filter(parent__isnull=False, is_active=True))
        referrals = list(ReferralTarget.objects.filter(is_active=True))
        host = users["host@example.org"]
        first = today - dt.timedelta(days=42)
        fixed = [h for h in hubs.values() if not h.is_mobile]
        from hubs.opening import OpeningCalendar

        calendar = OpeningCalendar(fixed, first, today - dt.timedelta(days=1))
        rows = []
        for hub in fixed:
            busy = hub.name in demo.BUSY_HUBS
            for opening in calendar.openings(hub.pk):
                for _ in range(rng.randint(3, 12) if busy else rng.randint(0, 6)):
                    at = opening.start + dt.timedelta(
                        minutes=rng.randint(0, int((opening.end - opening.start).seconds / 60) - 1)
                    )
                    outcome = Outcome.REFERRED if rng.random() < 0.25 else Outcome.ANSWERED
                    rows.append(
                        Question(
                            hub=hub,
                            date=opening.date,
                            dagdeel=opening.dagdeel,
                            created_at=at,
                            created_by=host,
                            topic=rng.choice(subtopics),
                            outcome=outcome,
                            referral_target=rng.choice(referrals)
                            if outcome == Outcome.REFERRED
                            else None,
                            language=rng.choice(["", "", "", "nl", "ar", "tr", "pl", "en"]),
                            interpreter_needed=rng.random() < 0.05,
                        )
                    )
        Question.objects.bulk_create(rows, batch_size=2000)
        # Callbacks: some open, some claimed, some overdue, completed, unreachable, purged.
        feijenoord = hubs["Feijenoord"]
        names = ["A. Yilmaz", "M. de Vries", "F. El Amrani", "J. Pinas", "K. Nowak", "S. Bakker"]
        made = []
        for n in range(18):
            team = list(teams.values())[n % len(teams)]
            when = timezone.now() - dt.timedelta(days=18 - n, hours=rng.randint(0, 5))
            made.append(
                callback_create(
                    hub=feijenoord if n % 3 else hubs["Bloemhof"],
                    user=host,
                    topic=rng.choice(subtopics),
                    team=team,
                    resident_name=f"{names[n % 6]} (demo)",
                    phone=f"0612{n:06d}",
                    email="",
                    reachable="werkdagen na 15:00",
                    language="nl",
                    question_text="Vraag over een brief van de gemeente (demo).",
                    consent=True,
                    now=when,
                    dagdeel="",
                )
            )
        for n, callback in enumerate(made):
            member = callback.team.members.first()
            if member is None or n % 6 == 0:
                continue  # stays open (and, for the older ones, overdue)
            callback_claim(callback_id=callback.pk, user=member)
            if n % 6 == 1:
                continue  # being handled
            if n % 6 == 2:
                for _ in range(callback.team.max_attempts):
                    callback_log_attempt(
                        callback_id=callback.pk, user=member, result=AttemptResult.NOT_REACHED
                    )
                continue  # unreachable
            callback_log_attempt(callback_id=callback.pk, user=member, result=AttemptResult.REACHED)
            callback_complete(
                callback_id=callback.pk,
                user=member,
                result="Uitleg gegeven, bewoner geholpen (demo).",
            )
        # Two long-closed callbacks have had their personal data removed.
        old = [c for c in made if c.pk and CallbackRequest.objects.get(pk=c.pk).closed_at][:2]
        CallbackRequest.objects.filter(pk__in=[c.pk for c in old]).update(
            closed_at=timezone.now() - dt.timedelta(days=45)
        )
        callbacks_purge()
        self.stdout.write(f"Questions: {len(rows)} at the desks, {len(made)} callback requests.")

    def _proposals(self, hubs, today):
        """Wijkraad proposals in every state, across a few hubs."""
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
                member = User.objects.filter(email=email).first() or User.objects.create_user(
                    email, demo.DEMO_PASSWORD, first_name="Wijkraad", last_name=f"{name} (demo)"
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

        wide = demo.PATTERN_WIDE
        # Concept
        new(
            "Heijplaat",
            "Vaker open op Heijplaat",
            demo.PATTERN_BASIC,
            "Heijplaat zit onder de norm; bewoners moeten nu naar Charlois. (demo)",
        )
        # Submitted
        submit(
            new(
                "Ommoord",
                "Avondopenstelling op dinsdag",
                demo.PATTERN_BASIC + [(1, "avond")],
                "Werkende ouders kunnen alleen 's avonds langskomen. (demo)",
            )
        )
        # In conversation, with a reply and an internal note
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
        # Rejected
        p = submit(
            new(
                "Hillesluis",
                "Elke dag open",
                [(d, "ochtend") for d in range(7)],
                "Bewoners willen elke dag terecht kunnen. (demo)",
            )
        )
        proposal_decide(
            proposal_id=p.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.REJECTED,
            motivation="Op zondag is er te weinig vraag en geen bezetting; "
            "we bekijken de avond opnieuw in het voorjaar. (demo)",
        )
        # Planned (partly accepted, with the adopted grid)
        p = submit(
            new(
                "Bloemhof",
                "Ook op woensdagavond open",
                wide + [(2, "middag")],
                "Veel vragen over brieven op woensdag. (demo)",
            )
        )
        proposal_decide(
            proposal_id=p.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.PARTLY,
            start_date=start,
            motivation="De woensdagmiddag komt erbij; de avond blijft zoals hij is. (demo)",
            adopted_slots=slots(wide + [(2, "middag")]),
        )
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
            Proposal.objects.filter(pk=p.pk).update(start_date=past)
        proposals_bring_into_force(today=today)
        # Withdrawn
        p = submit(
            new(
                "Feijenoord",
                "Later open op donderdag",
                demo.PATTERN_WIDE,
                "Donderdagochtend is het rustig. (demo)",
            )
        )
        proposal_transition(
            proposal_id=p.pk,
            user=members["Feijenoord"],
            to=Status.WITHDRAWN,
            expected=Status.SUBMITTED,
            note="Na overleg met de wijkmanager trekken we dit in. (demo)",
        )
        self.stdout.write(f"Proposals: {Proposal.objects.count()} in every state.")
