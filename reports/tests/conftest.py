"""A small, fixed data set whose every report figure can be counted by hand.

The clock stands still on Wednesday 18 November 2026, 10:00 in Amsterdam. The
report period is the two weeks from Monday 9 November (W3: 9–15 Nov, W4: 16–22 Nov,
this week); the previous period is W1 (26 Oct–1 Nov) and W2 (2–8 Nov). Summer
time ended on 25 October, so every moment below is UTC+1.

Two gebieden: Noord with hubs Alfa (A) and Bravo (B), Zuid with hub Charlie (C).
Topics: Wonen (subtopics Huur, Onderhoud), Geld (subtopic Schulden), Overig, Afval.
Everything is listed here as a table so that the tests can count from it; a
callback request also logs a question (outcome "callback", topic Wonen).

Shifts (min/max staff 2/3 unless said; people: cluster, attended True/False/None):

    A  W1 Mon 26 Oct ochtend   a1 Stadsbeheer True, a2 True
    A  W2 Mon  2 Nov ochtend   a1 Stadsbeheer True, a3 Belastingen False
    A  W2 Tue  3 Nov middag    cancelled
    A  W3 Mon  9 Nov ochtend   a1 Stadsbeheer True, a2 False (+ a3 cancelled her place)
                               offer Stadsbeheer 1
    A  W3 Tue 10 Nov middag    a1 Stadsbeheer True                      (under the minimum)
    A  W3 Thu 12 Nov ochtend   cancelled; offer Belastingen 1 (does not count)
    A  W4 Mon 16 Nov ochtend   a1 Stadsbeheer None, a2 True, a3 Belastingen True
                               (+ a4 on the waitlist); offers Stadsbeheer 1, Belastingen 1
    A  W4 Tue 17 Nov middag    a2 True, a4 None; offer Jeugd 1
    A  W4 Wed 18 Nov ochtend   a1 Stadsbeheer None, a3 Belastingen None; offer Belastingen 2
    A  W4 Wed 18 Nov middag    13:00, not started: a2; offer Stadsbeheer 1
    A  W4 Thu 19 Nov ochtend   not started, nobody
    B  W1 Tue 27 Oct ochtend   b1 Stadsbeheer True, b2 True
    B  W3 Mon  9 Nov middag    min 1 max 2: b1 Stadsbeheer True; offer Stadsbeheer 1
    B  W3 Fri 13 Nov ochtend   nobody                                   (under the minimum)
    B  W4 Thu 19 Nov ochtend   not started: b1 Stadsbeheer; offer Stadsbeheer 1
    C  W1 Wed 28 Oct avond     c1 True, c2 Belastingen True
    C  W2 Wed  4 Nov avond     c1 True                                  (under the minimum)
    C  W3 Wed 11 Nov avond     c1 True, c2 Belastingen True; offer Belastingen 2
    C  W4 Mon 16 Nov ochtend   c1 False, c2 Belastingen True
    C  W4 Tue 17 Nov avond     cancelled

Questions (hub, day, dagdeel, topic, outcome, referred to, article):

    A  W1 26 Oct ochtend  qp1 Huur answered (Huurtoeslag)
    A  W1 26 Oct ochtend  qp2 Afval referred Juridisch loket
    A  W2  2 Nov ochtend  qp3 Huur referred Sociaal team
    A  W3  9 Nov ochtend  qa1 Huur answered (Huurtoeslag)
    A  W3  9 Nov ochtend  qa3 Schulden referred Sociaal team
    A  W3 10 Nov middag   qa4 Overig answered (Afvalkalender)
    A  W3 15 Nov –        qa5 Overig answered, logged Sunday 23:30
    A  W4 16 Nov ochtend  qa6 Huur answered (Huurtoeslag)
    A  W4 16 Nov ochtend  qa7 Onderhoud referred Juridisch loket
    A  W4 16 Nov ochtend  qa8 Schulden referred Sociaal team (Schuldhulp)
    A  W4 18 Nov ochtend  qa9 Geld answered (Schuldhulp)
    B  W1 27 Oct ochtend  qb5 Huur answered
    B  W2  4 Nov ochtend  qb4 Overig answered  (B has no shift in W2: active by this)
    B  W3  9 Nov middag   qb1 Huur answered (Huurtoeslag)
    B  W3  9 Nov middag   qb2 Overig answered
    B  W3 13 Nov ochtend  qb3 Schulden referred Juridisch loket
    C  W1 28 Oct avond    qc6 Huur answered
    C  W2  4 Nov avond    qc7 Schulden referred Sociaal team
    C  W3 11 Nov avond    qc1 Onderhoud answered (Afvalkalender)
    C  W3 11 Nov avond    qc2 Onderhoud referred Sociaal team
    C  W3 11 Nov avond    qc3 Overig answered
    C  W4 16 Nov ochtend  qc4 Geld answered (Schuldhulp)
    C  W4 16 Nov ochtend  qc5 Huur answered

Callback requests (team; made; first attempt; closed as done (completed) or unreachable;
due = 2 working days later):

    c13 A Belastingen  Mon 19 Oct 10:00 ochtend   open            (before both periods)
    c7  A Belastingen  Mon  2 Nov 10:00 ochtend   +3 h; done Wed 4 Nov 10:00 (48 h), due 4 Nov
    c8  A Wonen        Tue  3 Nov 10:30 –         +1 h; done Fri 6 Nov 00:30 (62 h), due 5 Nov
                       (late in Amsterdam, although in UTC it closed on 5 Nov)
    c9  B Belastingen  Mon  9 Nov 00:30 –         +8 h; done Tue 10 Nov 00:30 (24 h), due 11 Nov
                       (made on Sunday 8 Nov in UTC: still this period)
    c1  A Belastingen  Mon  9 Nov 10:00 ochtend   +2 h; done +4 h, due 11 Nov
    c10 C Wonen        Tue 10 Nov 09:00 –         +24 h; unreachable Fri 13 Nov 15:00, due 12 Nov
    c2  A Belastingen  Tue 10 Nov 14:00 middag    +4 h; done Fri 13 Nov 14:00 (72 h), due 12 Nov
    c12 A Wonen        Tue 10 Nov 15:00 middag    +18 h; done Thu 12 Nov 23:00 (56 h), due 12 Nov
    c3  A Belastingen  Wed 11 Nov 10:00 –         +6 h; unreachable Thu 12 Nov 10:00, due 13 Nov
    c4  A Wonen        Thu 12 Nov 10:00 ochtend   open, no attempt, due 16 Nov (overdue)
    c5  A Wonen        Mon 16 Nov 10:00 ochtend   +1 h, open, due 18 Nov (today: not yet due)
    c6  A Wonen        Wed 18 Nov 09:00 ochtend   open, due 20 Nov

Knowledge gaps (created_at, Amsterdam): A Mon 2 Nov 10:00; A Mon 9 Nov 11:00;
A Sun 15 Nov 23:30 (W3); A Mon 16 Nov 00:30 (W4; Sunday in UTC); C Wed 11 Nov 20:00.

Proposals (submitted → decided):

    p1 A  Wed 28 Oct 10:00 → Tue 10 Nov 10:00  decided (13 days)
    p2 A  Mon  9 Nov 10:00 → Thu 12 Nov 10:00  decided (3 days)
    p3 A  Thu 12 Nov 10:00                     submitted, waiting
    p4 A  Mon  2 Nov 10:00                     in conversation, waiting
    p5 A  Tue 27 Oct 10:00 → Tue  3 Nov 10:00  decided (7 days; previous period)
    p6 A  draft
    p7 A  Tue 10 Nov 10:00                     withdrawn
    p8 C  Sun  1 Nov 10:00 → Mon 16 Nov 10:00  decided (15 days)
    p9 C  Mon 16 Nov 10:00                     submitted, waiting
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from hubs.constants import Dagdeel
from proposals.constants import Decision, Status
from proposals.models import Proposal
from questions.constants import CallbackStatus, Outcome
from questions.models import CallbackRequest, KnowledgeGap
from reports import rollup
from reports.period import Period
from reports.report import Scope
from scheduling.constants import SignUpStatus
from scheduling.models import ClusterOffer, SignUp
from tests.factories import (
    ArticleFactory,
    ClusterFactory,
    GebiedFactory,
    HubFactory,
    QuestionFactory,
    ReferralTargetFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    make_callback,
    make_shift,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 18, 10, tzinfo=AMSTERDAM)  # a Wednesday
TODAY = NOW.date()
PERIOD = Period(dt.date(2026, 11, 9), dt.date(2026, 11, 22))
W1, W2, W3, W4 = (dt.date(2026, 10, 26) + dt.timedelta(weeks=i) for i in range(4))

OCHTEND, MIDDAG, AVOND = Dagdeel.OCHTEND, Dagdeel.MIDDAG, Dagdeel.AVOND
ANSWERED, REFERRED = Outcome.ANSWERED, Outcome.REFERRED


def day(month: int, number: int) -> dt.date:
    return dt.date(2026, month, number)


def at(month: int, number: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, number, hour, minute, tzinfo=AMSTERDAM)


def _shift(hub, when, dagdeel, people=(), *, cancelled=False, offers=(), **staff):
    """A shift with confirmed ``people`` [(user, cluster, attended)], other sign-ups
    given as (user, cluster, status) with a status, and ``offers`` [(cluster, places)]."""
    shift = make_shift(hub=hub, day=when, dagdeel=dagdeel, is_cancelled=cancelled, **staff)
    confirmed = 0
    for user, cluster, state in people:
        status = state if isinstance(state, str) else SignUpStatus.CONFIRMED
        SignUp.objects.create(
            shift=shift,
            user=user,
            date=shift.date,
            dagdeel=shift.dagdeel,
            cluster=cluster,
            status=status,
            attended=None if isinstance(state, str) else state,
        )
        confirmed += status == SignUpStatus.CONFIRMED
    shift.confirmed_count = confirmed
    shift.save(update_fields=["confirmed_count"])
    for cluster, places in offers:
        ClusterOffer.objects.create(
            shift=shift, cluster=cluster, places=places, release_at=shift.starts_at
        )
    return shift


@pytest.fixture
def figures(db, time_machine):
    """The data set of this module's docstring, rolled up at NOW; the clock stays at NOW."""
    time_machine.move_to(NOW, tick=False)
    noord, zuid = GebiedFactory(name="Noord"), GebiedFactory(name="Zuid")
    a = HubFactory(name="Alfa", gebied=noord)
    b = HubFactory(name="Bravo", gebied=noord)
    c = HubFactory(name="Charlie", gebied=zuid)

    wonen = TopicFactory(name="Wonen")
    huur = TopicFactory(name="Huur", parent=wonen)
    onderhoud = TopicFactory(name="Onderhoud", parent=wonen)
    geld = TopicFactory(name="Geld")
    schulden = TopicFactory(name="Schulden", parent=geld)
    overig = TopicFactory(name="Overig")
    afval = TopicFactory(name="Afval")
    sociaal = ReferralTargetFactory(name="Sociaal team")
    juridisch = ReferralTargetFactory(name="Juridisch loket")
    # Created in this order: ties in "most used" go to the lower id.
    huurtoeslag = ArticleFactory(title="Huurtoeslag aanvragen")
    schuldhulp = ArticleFactory(title="Schuldhulp")
    afvalkalender = ArticleFactory(title="Afvalkalender")
    belastingen_team = TeamFactory(name="Team Belastingen")
    wonen_team = TeamFactory(name="Team Wonen")
    stadsbeheer = ClusterFactory(name="Stadsbeheer")
    belastingen = ClusterFactory(name="Belastingen")
    jeugd = ClusterFactory(name="Jeugd")

    a1, a2, a3, a4, b1, b2, c1, c2 = (UserFactory() for _ in range(8))
    sb, bl = stadsbeheer, belastingen

    # --- shifts
    _shift(a, day(10, 26), OCHTEND, [(a1, sb, True), (a2, None, True)])
    _shift(a, day(11, 2), OCHTEND, [(a1, sb, True), (a3, bl, False)], offers=[(sb, 1)])
    _shift(a, day(11, 3), MIDDAG, cancelled=True)
    _shift(
        a,
        day(11, 9),
        OCHTEND,
        [(a1, sb, True), (a2, None, False), (a3, bl, SignUpStatus.CANCELLED)],
        offers=[(sb, 1)],
    )
    _shift(a, day(11, 10), MIDDAG, [(a1, sb, True)])
    _shift(a, day(11, 12), OCHTEND, cancelled=True, offers=[(bl, 1)])
    _shift(
        a,
        day(11, 16),
        OCHTEND,
        [(a1, sb, None), (a2, None, True), (a3, bl, True), (a4, None, SignUpStatus.WAITLISTED)],
        offers=[(sb, 1), (bl, 1)],
    )
    _shift(a, day(11, 17), MIDDAG, [(a2, None, True), (a4, None, None)], offers=[(jeugd, 1)])
    _shift(a, day(11, 18), OCHTEND, [(a1, sb, None), (a3, bl, None)], offers=[(bl, 2)])
    _shift(a, day(11, 18), MIDDAG, [(a2, None, None)], offers=[(sb, 1)])
    _shift(a, day(11, 19), OCHTEND)
    _shift(b, day(10, 27), OCHTEND, [(b1, sb, True), (b2, None, True)])
    _shift(b, day(11, 9), MIDDAG, [(b1, sb, True)], offers=[(sb, 1)], min_staff=1, max_staff=2)
    _shift(b, day(11, 13), OCHTEND)
    _shift(b, day(11, 19), OCHTEND, [(b1, sb, None)], offers=[(sb, 1)])
    _shift(c, day(10, 28), AVOND, [(c1, None, True), (c2, bl, True)])
    _shift(c, day(11, 4), AVOND, [(c1, None, True)])
    _shift(c, day(11, 11), AVOND, [(c1, None, True), (c2, bl, True)], offers=[(bl, 2)])
    _shift(c, day(11, 16), OCHTEND, [(c1, None, False), (c2, bl, True)])
    _shift(c, day(11, 17), AVOND, cancelled=True)

    # --- questions
    def ask(hub, when, dagdeel, topic, outcome=ANSWERED, to=None, article=None, moment=None):
        return QuestionFactory(
            hub=hub,
            date=when,
            dagdeel=dagdeel,
            topic=topic,
            outcome=outcome,
            referral_target=to,
            article=article,
            created_at=moment or dt.datetime.combine(when, dt.time(11), tzinfo=AMSTERDAM),
        )

    ask(a, day(10, 26), OCHTEND, huur, article=huurtoeslag)  # qp1
    ask(a, day(10, 26), OCHTEND, afval, REFERRED, juridisch)  # qp2
    ask(a, day(11, 2), OCHTEND, huur, REFERRED, sociaal)  # qp3
    ask(a, day(11, 9), OCHTEND, huur, article=huurtoeslag)  # qa1
    ask(a, day(11, 9), OCHTEND, schulden, REFERRED, sociaal)  # qa3
    ask(a, day(11, 10), MIDDAG, overig, article=afvalkalender)  # qa4
    sunday_late = ask(a, day(11, 15), "", overig, moment=at(11, 15, 23, 30))  # qa5
    ask(a, day(11, 16), OCHTEND, huur, article=huurtoeslag)  # qa6
    ask(a, day(11, 16), OCHTEND, onderhoud, REFERRED, juridisch)  # qa7
    ask(a, day(11, 16), OCHTEND, schulden, REFERRED, sociaal, article=schuldhulp)  # qa8
    ask(a, day(11, 18), OCHTEND, geld, article=schuldhulp)  # qa9
    ask(b, day(10, 27), OCHTEND, huur)  # qb5
    ask(b, day(11, 4), OCHTEND, overig)  # qb4
    ask(b, day(11, 9), MIDDAG, huur, article=huurtoeslag)  # qb1
    ask(b, day(11, 9), MIDDAG, overig)  # qb2
    ask(b, day(11, 13), OCHTEND, schulden, REFERRED, juridisch)  # qb3
    ask(c, day(10, 28), AVOND, huur)  # qc6
    ask(c, day(11, 4), AVOND, schulden, REFERRED, sociaal)  # qc7
    ask(c, day(11, 11), AVOND, onderhoud, article=afvalkalender)  # qc1
    ask(c, day(11, 11), AVOND, onderhoud, REFERRED, sociaal)  # qc2
    ask(c, day(11, 11), AVOND, overig)  # qc3
    ask(c, day(11, 16), OCHTEND, geld, article=schuldhulp)  # qc4
    ask(c, day(11, 16), OCHTEND, huur)  # qc5

    # --- callbacks: made through the service (question, due date), then handled
    def callback(hub, team, made, dagdeel, first=None, closed=None, status=None):
        request = make_callback(hub=hub, team=team, topic=wonen, now=made, dagdeel=dagdeel)
        status = status or (CallbackStatus.CLAIMED if first else CallbackStatus.OPEN)
        CallbackRequest.objects.filter(pk=request.pk).update(
            status=status, first_attempt_at=first, closed_at=closed
        )
        request.refresh_from_db()
        return request

    done, gone = CallbackStatus.COMPLETED, CallbackStatus.UNREACHABLE
    bt, wt = belastingen_team, wonen_team
    callbacks = {
        "c13": callback(a, bt, at(10, 19, 10), OCHTEND),
        "c7": callback(a, bt, at(11, 2, 10), OCHTEND, at(11, 2, 13), at(11, 4, 10), done),
        "c8": callback(a, wt, at(11, 3, 10, 30), "", at(11, 3, 11, 30), at(11, 6, 0, 30), done),
        "c9": callback(b, bt, at(11, 9, 0, 30), "", at(11, 9, 8, 30), at(11, 10, 0, 30), done),
        "c1": callback(a, bt, at(11, 9, 10), OCHTEND, at(11, 9, 12), at(11, 9, 14), done),
        "c10": callback(c, wt, at(11, 10, 9), "", at(11, 11, 9), at(11, 13, 15), gone),
        "c2": callback(a, bt, at(11, 10, 14), MIDDAG, at(11, 10, 18), at(11, 13, 14), done),
        "c12": callback(a, wt, at(11, 10, 15), MIDDAG, at(11, 11, 9), at(11, 12, 23), done),
        "c3": callback(a, bt, at(11, 11, 10), "", at(11, 11, 16), at(11, 12, 10), gone),
        "c4": callback(a, wt, at(11, 12, 10), OCHTEND),
        "c5": callback(a, wt, at(11, 16, 10), OCHTEND, at(11, 16, 11)),
        "c6": callback(a, wt, at(11, 18, 9), OCHTEND),
    }

    # --- knowledge gaps (created_at is set on save: moved afterwards)
    gaps = []
    for hub, moment in (
        (a, at(11, 2, 10)),
        (a, at(11, 9, 11)),
        (a, at(11, 15, 23, 30)),
        (a, at(11, 16, 0, 30)),
        (c, at(11, 11, 20)),
    ):
        gap = KnowledgeGap.objects.create(hub=hub, search_terms="parkeervergunning")
        KnowledgeGap.objects.filter(pk=gap.pk).update(created_at=moment)
        gaps.append(gap)

    # --- proposals
    def proposal(hub, status, submitted=None, decided=None):
        return Proposal.objects.create(
            hub=hub,
            title="Zaterdagochtend open",
            argumentation="Werkende bewoners kunnen doordeweeks niet.",
            desired_start=day(12, 14),
            status=status,
            submitted_at=submitted,
            decided_at=decided,
            decision=Decision.ACCEPTED if decided else "",
        )

    proposal(a, Status.DECIDED, at(10, 28, 10), at(11, 10, 10))  # p1
    proposal(a, Status.DECIDED, at(11, 9, 10), at(11, 12, 10))  # p2
    proposal(a, Status.SUBMITTED, at(11, 12, 10))  # p3
    proposal(a, Status.IN_CONVERSATION, at(11, 2, 10))  # p4
    proposal(a, Status.DECIDED, at(10, 27, 10), at(11, 3, 10))  # p5
    proposal(a, Status.CONCEPT)  # p6
    proposal(a, Status.WITHDRAWN, at(11, 10, 10))  # p7
    proposal(c, Status.DECIDED, at(11, 1, 10), at(11, 16, 10))  # p8
    proposal(c, Status.SUBMITTED, at(11, 16, 10))  # p9

    rollup.rebuild_all()
    return SimpleNamespace(
        a=a,
        b=b,
        c=c,
        noord=noord,
        zuid=zuid,
        topics=SimpleNamespace(
            wonen=wonen,
            huur=huur,
            onderhoud=onderhoud,
            geld=geld,
            schulden=schulden,
            overig=overig,
            afval=afval,
        ),
        referrals=SimpleNamespace(sociaal=sociaal, juridisch=juridisch),
        articles=SimpleNamespace(
            huurtoeslag=huurtoeslag, schuldhulp=schuldhulp, afvalkalender=afvalkalender
        ),
        clusters=SimpleNamespace(stadsbeheer=stadsbeheer, belastingen=belastingen, jeugd=jeugd),
        callbacks=callbacks,
        gaps=gaps,
        sunday_late=sunday_late,
        hub_scope=Scope("hub", a.name, [a.pk], a),
        gebied_scope=Scope("gebied", noord.name, [a.pk, b.pk], noord),
        city_scope=Scope("city", "Rotterdam", None),
    )
