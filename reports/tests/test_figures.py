"""Every figure of the report, for a hub, a gebied and the city, against numbers
counted by hand from the data set in ``conftest.py`` (read its docstring first).

Period: W3 + W4 (9–22 Nov 2026, "now" is Wed 18 Nov 10:00); previous: W1 + W2.
Shorthand in the comments: A = Alfa, B = Bravo (both Noord), C = Charlie (Zuid).

Counts are compared with "the city's average hub in the same number of open
weeks": city total × hub-weeks in scope / hub-weeks in the city. Hub-weeks this
period: A 2 (W3, W4), B 1 (W3 only: its W4 shift has not started), C 2 → city 5.
So the factor is 2/5 for A and 3/5 for Noord.
"""

import pytest
from django.utils import translation

from reports.report import build_report

from .conftest import PERIOD, TODAY, W1, W2, W3, W4

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(figures):
    with translation.override("en"):
        return {
            "hub": build_report(figures.hub_scope, PERIOD, today=TODAY),
            "gebied": build_report(figures.gebied_scope, PERIOD, today=TODAY),
            "city": build_report(figures.city_scope, PERIOD, today=TODAY),
        }


def rows(report, table_id):
    return report.table(table_id).rows


# --- headline ------------------------------------------------------------------------------------


def test_headline_of_a_hub(reports):
    assert rows(reports["hub"], "kerncijfers") == [
        # A: 9 in W3 + 6 in W4 | W1 2 + W2 3 | city 25 × 2/5
        ["Questions", 15, 5, 10.0],
        # 15 / 5 open dagdelen | 5 / 2 | city 25 / 9
        ["Questions per open dagdeel", 3.0, 2.5, 2.8],
        # 5 of 15 | 1 of 5 | city 11 of 25
        ["Answered on the spot", 33.3, 20.0, 44.0],
        # 3 of 15 | 2 of 5 | city 5 of 25
        ["Referred", 20.0, 40.0, 20.0],
        # 7 of 15 | 2 of 5 | city 9 of 25
        ["Callback requests", 46.7, 40.0, 36.0],
        # c1, c3, c12 of due c1 c2 c3 c4 c12 → 3/5 | c7 of c7 c8 | c1 c3 c12 c9 of 7 due
        ["Callbacks made on time", 60.0, 50.0, 57.1],
        # [1, 2, 4, 6, 18] | [1, 3] → 2 | [1, 2, 4, 6, 8, 18, 24] → 6
        ["Median time to first attempt", 4.0, 2.0, 6.0],
        # [4, 56, 72] | [48, 62] → 55 | [4, 24, 56, 72] → (24 + 56) / 2
        ["Median time to completion", 56.0, 55.0, 40.0],
        # c3 of 4 closed | 0 of 2 | c3, c10 of 6 closed
        ["Residents unreachable", 25.0, 0.0, 33.3],
        # 6 planned − 1 cancelled | 3 − 1 | city (11 − 2) × 2/5
        ["Dagdelen open", 5, 2, 3.6],
        # Tue 10 Nov | none | city 2 × 2/5
        ["Dagdelen under the minimum", 1, 0, 0.8],
        # 9 of 10 places | 4 of 4 | city 14 of 17
        ["Fill rate", 90.0, 100.0, 82.4],
        # a2 on 9 Nov | a3 on 2 Nov | city 2 × 2/5
        ["No-shows", 1, 1, 0.8],
        # p1, p2 | p5 | city 3 × 2/5
        ["Proposals decided", 2, 1, 1.2],
        # [13, 3] days → 8 | [7] | city [3, 13, 15] → 13
        ["Median answer time for proposals", 8.0, 7.0, 13.0],
        # 9 Nov, Sun 15 Nov 23:30, Mon 16 Nov 00:30 | 2 Nov | city 4 × 2/5
        ["Knowledge gaps logged", 3, 1, 1.6],
    ]
    table = reports["hub"].headline
    assert table.row_kinds == [
        "int",
        "float",
        "pct",
        "pct",
        "pct",
        "pct",
        "hours",
        "hours",
        "pct",
        "int",
        "int",
        "pct",
        "int",
        "int",
        "days",
        "int",
    ]


def test_headline_of_a_gebied(reports):
    assert rows(reports["gebied"], "kerncijfers") == [
        # A 15 + B 4 | A 5 + B 2 | city 25 × 3/5
        ["Questions", 19, 7, 15.0],
        # 19 / (A 5 + B 2) | 7 / (A 2 + B 1) | 25 / 9
        ["Questions per open dagdeel", 2.7, 2.3, 2.8],
        # 7 of 19 | 3 of 7 | 11 of 25
        ["Answered on the spot", 36.8, 42.9, 44.0],
        # 4 of 19 | 2 of 7 | 5 of 25
        ["Referred", 21.1, 28.6, 20.0],
        # 8 of 19 | 2 of 7 | 9 of 25
        ["Callback requests", 42.1, 28.6, 36.0],
        # c1 c3 c12 c9 of 6 due (A's 5 + c9) | c7 of 2 | 4 of 7
        ["Callbacks made on time", 66.7, 50.0, 57.1],
        # [1, 2, 4, 6, 8, 18] → (4 + 6) / 2 | 2 | 6
        ["Median time to first attempt", 5.0, 2.0, 6.0],
        # [4, 24, 56, 72] → 40 | 55 | 40
        ["Median time to completion", 40.0, 55.0, 40.0],
        # c3 of 5 closed | 0 of 2 | 2 of 6
        ["Residents unreachable", 20.0, 0.0, 33.3],
        # A 5 + B 2 | A 2 + B 1 | 9 × 3/5
        ["Dagdelen open", 7, 3, 5.4],
        # A Tue 10 Nov, B Fri 13 Nov | 0 | 2 × 3/5
        ["Dagdelen under the minimum", 2, 0, 1.2],
        # (A 9 + B 1) of (A 10 + B 3) | 6 of 6 | 14 of 17
        ["Fill rate", 76.9, 100.0, 82.4],
        ["No-shows", 1, 1, 1.2],
        # B has no proposals: A's | city 3 × 3/5
        ["Proposals decided", 2, 1, 1.8],
        ["Median answer time for proposals", 8.0, 7.0, 13.0],
        # A 3 | A 1 | 4 × 3/5
        ["Knowledge gaps logged", 3, 1, 2.4],
    ]


def test_headline_of_the_city(reports):
    """For the city the "city average" is the city itself (the page leaves it out)."""
    assert rows(reports["city"], "kerncijfers") == [
        # 15 + 4 + 6 | 5 + 2 + 2
        ["Questions", 25, 9, 25],
        # 25 / 9 | 9 / (A 2 + B 1 + C 2)
        ["Questions per open dagdeel", 2.8, 1.8, 2.8],
        # 11 of 25 | 4 of 9
        ["Answered on the spot", 44.0, 44.4, 44.0],
        # 5 of 25 | 3 of 9
        ["Referred", 20.0, 33.3, 20.0],
        # 9 of 25 | 2 of 9
        ["Callback requests", 36.0, 22.2, 36.0],
        ["Callbacks made on time", 57.1, 50.0, 57.1],
        ["Median time to first attempt", 6.0, 2.0, 6.0],
        ["Median time to completion", 40.0, 55.0, 40.0],
        ["Residents unreachable", 33.3, 0.0, 33.3],
        # 11 − 2 | 6 − 1
        ["Dagdelen open", 9, 5, 9],
        # A Tue 10 Nov, B Fri 13 Nov | C Wed 4 Nov
        ["Dagdelen under the minimum", 2, 1, 2],
        # 14 of 17 | 9 of 10
        ["Fill rate", 82.4, 90.0, 82.4],
        ["No-shows", 2, 1, 2],
        # p1 p2 p8 | p5
        ["Proposals decided", 3, 1, 3],
        # [3, 13, 15] | [7]
        ["Median answer time for proposals", 13.0, 7.0, 13.0],
        ["Knowledge gaps logged", 4, 1, 4],
    ]


# --- what residents come with --------------------------------------------------------------------


def test_questions_per_week(reports):
    # Week | questions | same week of the previous period | city × active hubs / city's active
    assert rows(reports["hub"], "trend") == [
        [W3, 9, 2, 5.7],  # city 17 × 1/3 (A, B, C active)
        [W4, 6, 3, 4.0],  # city 8 × 1/2 (B is not active in W4)
    ]
    assert rows(reports["gebied"], "trend") == [
        [W3, 13, 3, 11.3],  # A 9 + B 4 | A 2 + B 1 | 17 × 2/3
        [W4, 6, 4, 4.0],  # A 6 + B 0 | A 3 + B 1 | 8 × 1/2
    ]
    assert rows(reports["city"], "trend") == [
        [W3, 17, 4, 17.0],  # A 9 + B 4 + C 4 | A 2 + B 1 + C 1
        [W4, 8, 5, 8.0],  # A 6 + C 2 | A 3 + B 1 + C 1
    ]
    assert [w for w, *_ in rows(reports["hub"], "trend")] == PERIOD.mondays
    assert reports["hub"].previous.mondays == [W1, W2]


def test_topics_group_subtopics_under_their_main_topic(reports):
    # Topic | subtopic | questions | share | previous period | city share (of 25).
    # Main topics by their total (Wonen 10, Geld 3, Overig 2, Afval 0), then by count.
    assert rows(reports["hub"], "onderwerpen") == [
        ["Wonen", "", 7, 46.7, 2, 36.0],  # the 7 callbacks; prev c7 c8; city 9
        ["Wonen", "Huur", 2, 13.3, 2, 16.0],  # qa1 qa6; prev qp1 qp3; city 4
        ["Wonen", "Onderhoud", 1, 6.7, 0, 12.0],  # qa7; city 3
        ["Geld", "Schulden", 2, 13.3, 0, 12.0],  # qa3 qa8; city 3
        ["Geld", "", 1, 6.7, 0, 8.0],  # qa9; city 2
        ["Overig", "", 2, 13.3, 0, 16.0],  # qa4 qa5; city 4
        ["Afval", "", 0, 0.0, 1, 0.0],  # only in the previous period (qp2)
    ]
    assert rows(reports["gebied"], "onderwerpen") == [
        ["Wonen", "", 8, 42.1, 2, 36.0],  # 8 of 19
        ["Wonen", "Huur", 3, 15.8, 3, 16.0],  # + qb1 | + qb5
        ["Wonen", "Onderhoud", 1, 5.3, 0, 12.0],
        ["Geld", "Schulden", 3, 15.8, 0, 12.0],  # + qb3
        ["Geld", "", 1, 5.3, 0, 8.0],
        ["Overig", "", 3, 15.8, 1, 16.0],  # + qb2 | qb4
        ["Afval", "", 0, 0.0, 1, 0.0],
    ]
    assert rows(reports["city"], "onderwerpen") == [
        ["Wonen", "", 9, 36.0, 2, 36.0],
        ["Wonen", "Huur", 4, 16.0, 4, 16.0],  # prev qp1 qp3 qb5 qc6
        ["Wonen", "Onderhoud", 3, 12.0, 0, 12.0],  # qa7 qc1 qc2
        ["Geld", "Schulden", 3, 12.0, 1, 12.0],  # prev qc7
        ["Geld", "", 2, 8.0, 0, 8.0],  # qa9 qc4
        ["Overig", "", 4, 16.0, 1, 16.0],
        ["Afval", "", 0, 0.0, 1, 0.0],
    ]
    shares = [row[3] for row in rows(reports["hub"], "onderwerpen")]
    assert sum(shares) == pytest.approx(100, abs=0.2)


def test_outcomes(reports):
    # Outcome | questions | share | previous period's share | city share
    assert rows(reports["hub"], "afhandeling") == [
        ["Answered on the spot", 5, 33.3, 20.0, 44.0],  # prev 1 of 5; city 11 of 25
        ["Referred", 3, 20.0, 40.0, 20.0],  # prev 2 of 5; city 5 of 25
        ["Callback request", 7, 46.7, 40.0, 36.0],  # prev 2 of 5; city 9 of 25
    ]
    assert rows(reports["gebied"], "afhandeling") == [
        ["Answered on the spot", 7, 36.8, 42.9, 44.0],  # prev 3 of 7
        ["Referred", 4, 21.1, 28.6, 20.0],  # prev 2 of 7
        ["Callback request", 8, 42.1, 28.6, 36.0],  # prev 2 of 7
    ]
    assert rows(reports["city"], "afhandeling") == [
        ["Answered on the spot", 11, 44.0, 44.4, 44.0],  # prev 4 of 9
        ["Referred", 5, 20.0, 33.3, 20.0],  # prev 3 of 9
        ["Callback request", 9, 36.0, 22.2, 36.0],  # prev 2 of 9
    ]


def test_referral_destinations(reports):
    # Destination | questions | share of the scope's referrals | city share (of 5)
    assert rows(reports["hub"], "doorverwijzingen") == [
        ["Sociaal team", 2, 66.7, 60.0],  # qa3 qa8; city + qc2
        ["Juridisch loket", 1, 33.3, 40.0],  # qa7; city + qb3
    ]
    # A tie is broken by name.
    assert rows(reports["gebied"], "doorverwijzingen") == [
        ["Juridisch loket", 2, 50.0, 40.0],
        ["Sociaal team", 2, 50.0, 60.0],
    ]
    assert rows(reports["city"], "doorverwijzingen") == [
        ["Sociaal team", 3, 60.0, 60.0],
        ["Juridisch loket", 2, 40.0, 40.0],
    ]


# --- busiest moments -----------------------------------------------------------------------------


def test_busiest_moments(reports):
    # Day | dagdeel | questions | open dagdelen | per open dagdeel | city per open dagdeel.
    # A row for every dagdeel the scope or the city was open, or the scope had questions.
    # City open: Mon ochtend A 2 + C 1, Mon middag B 1, Tue middag A 2, Wed ochtend A 1,
    # Wed avond C 1, Fri ochtend B 1. Questions without a dagdeel (c3 qa5 c9 c10) are not here.
    assert rows(reports["hub"], "drukte") == [
        ["Monday", "Morning", 7, 2, 3.5, 3.0],  # qa1 qa3 c1 + qa6 qa7 qa8 c5; city 9 / 3
        ["Monday", "Afternoon", 0, 0, None, 2.0],  # B: qb1 qb2 / 1
        ["Tuesday", "Afternoon", 3, 2, 1.5, 1.5],  # qa4 c2 c12 / 10 and 17 Nov
        ["Wednesday", "Morning", 2, 1, 2.0, 2.0],  # c6 qa9 / 18 Nov
        ["Wednesday", "Evening", 0, 0, None, 3.0],  # C: qc1 qc2 qc3 / 1
        ["Thursday", "Morning", 1, 0, None, None],  # c4, on the cancelled 12 Nov
        ["Friday", "Morning", 0, 0, None, 1.0],  # B: qb3 / 1
    ]
    assert rows(reports["gebied"], "drukte") == [
        ["Monday", "Morning", 7, 2, 3.5, 3.0],
        ["Monday", "Afternoon", 2, 1, 2.0, 2.0],
        ["Tuesday", "Afternoon", 3, 2, 1.5, 1.5],
        ["Wednesday", "Morning", 2, 1, 2.0, 2.0],
        ["Wednesday", "Evening", 0, 0, None, 3.0],
        ["Thursday", "Morning", 1, 0, None, None],
        ["Friday", "Morning", 1, 1, 1.0, 1.0],
    ]
    assert rows(reports["city"], "drukte") == [
        ["Monday", "Morning", 9, 3, 3.0, 3.0],  # + qc4 qc5
        ["Monday", "Afternoon", 2, 1, 2.0, 2.0],
        ["Tuesday", "Afternoon", 3, 2, 1.5, 1.5],
        ["Wednesday", "Morning", 2, 1, 2.0, 2.0],
        ["Wednesday", "Evening", 3, 1, 3.0, 3.0],
        ["Thursday", "Morning", 1, 0, None, None],
        ["Friday", "Morning", 1, 1, 1.0, 1.0],
    ]


# --- callbacks -----------------------------------------------------------------------------------


def test_callbacks_per_team(reports):
    # Team | requests | due (closed, or open past the date) | on time (closed by the date)
    # | median hours to first attempt | median hours to completion | unreachable of closed.
    # Today is 18 Nov: c4 (due 16 Nov) is overdue, c5 (due today) and c6 are not due yet.
    assert rows(reports["hub"], "terugbelverzoeken") == [
        # c1 c2 c3: on time c1, c3 (unreachable on 12 Nov, due 13 Nov) of 3;
        # first [2, 4, 6]; completed [4, 72] → 38; unreachable c3 of 3
        ["Team Belastingen", 3, 3, 66.7, 4.0, 38.0, 33.3],
        # c4 c5 c6 c12: due c4 c12, on time c12 (23:00 on its due date);
        # first [1, 18] → 9.5; completed [56]; unreachable 0 of 1 closed
        ["Team Wonen", 4, 2, 50.0, 9.5, 56.0, 0.0],
        ["Total", 7, 5, 60.0, 4.0, 56.0, 25.0],
        # c7 on time; c8 closed 00:30 on 6 Nov, the day after its date (in UTC still 5 Nov)
        ["Total, previous period", 2, 2, 50.0, 2.0, 55.0, 0.0],
        # + c9 (B, on time, made 00:30 on 9 Nov) and c10 (C, unreachable a day late)
        ["City", 9, 7, 57.1, 6.0, 40.0, 33.3],
    ]
    assert rows(reports["gebied"], "terugbelverzoeken") == [
        # c1 c2 c3 c9: on time c1 c3 c9; first [2, 4, 6, 8] → 5; completed [4, 24, 72] → 24
        ["Team Belastingen", 4, 4, 75.0, 5.0, 24.0, 25.0],
        ["Team Wonen", 4, 2, 50.0, 9.5, 56.0, 0.0],
        # 4 of 6 due; first [1, 2, 4, 6, 8, 18]; completed [4, 24, 56, 72]; 1 of 5 closed
        ["Total", 8, 6, 66.7, 5.0, 40.0, 20.0],
        ["Total, previous period", 2, 2, 50.0, 2.0, 55.0, 0.0],
        ["City", 9, 7, 57.1, 6.0, 40.0, 33.3],
    ]
    assert rows(reports["city"], "terugbelverzoeken") == [
        ["Team Belastingen", 4, 4, 75.0, 5.0, 24.0, 25.0],
        # c4 c5 c6 c12 c10: due c4 c12 c10, on time c12; first [1, 18, 24]; c10 of 2 closed
        ["Team Wonen", 5, 3, 33.3, 18.0, 56.0, 50.0],
        ["Total", 9, 7, 57.1, 6.0, 40.0, 33.3],
        ["Total, previous period", 2, 2, 50.0, 2.0, 55.0, 0.0],
    ]


# --- roster --------------------------------------------------------------------------------------


ROSTER_LABELS = [
    "Dagdelen planned",
    "Dagdelen cancelled",
    "Dagdelen open",
    "Dagdelen under the minimum",
    "Places needed (minimum staff)",
    "Places filled up to the minimum",
    "People signed up",
    "Worked (attendance marked)",
    "No-shows",
    "Fill rate",
]


def test_roster(reports):
    # Only shifts that have started by Wed 18 Nov 10:00: A's Wed 18 Nov middag and Thu
    # 19 Nov and B's Thu 19 Nov are left out. This period | previous | city × factor.
    hub = rows(reports["hub"], "rooster")
    assert [row[0] for row in hub] == ROSTER_LABELS
    assert [row[1:] for row in hub] == [
        [6, 3, 4.4],  # 9 10 12 16 17 18 Nov | 26 Oct, 2 and 3 Nov | city 11 × 2/5
        [1, 1, 0.8],  # 12 Nov | 3 Nov | 2 × 2/5
        [5, 2, 3.6],  # | | (11 − 2) × 2/5
        [1, 0, 0.8],  # 10 Nov (1 of 2)
        [10, 4, 6.8],  # 5 open × 2 | 2 × 2 | 17 × 2/5
        [9, 4, 5.6],  # 2 + 1 + 2 + 2 + 2 (16 Nov had 3, counts 2) | 14 × 2/5
        [10, 4, 6.0],  # 2 + 1 + 3 + 2 + 2 (not a3's cancelled place, a4's waitlist)
        [5, 3, 3.6],  # a1 9 Nov, a1 10 Nov, a2 a3 16 Nov, a2 17 Nov | 9 × 2/5
        [1, 1, 0.8],  # a2 9 Nov | a3 2 Nov
        [90.0, 100.0, 82.4],  # 9/10 | 4/4 | 14/17
    ]
    assert [row[1:] for row in rows(reports["gebied"], "rooster")] == [
        [8, 4, 6.6],  # + B 9 and 13 Nov | + B 27 Oct | 11 × 3/5
        [1, 1, 1.2],
        [7, 3, 5.4],
        [2, 0, 1.2],  # + B 13 Nov (nobody)
        [13, 6, 10.2],  # + B 1 + 2 | + 2
        [10, 6, 8.4],  # + B 1 + 0 | + 2
        [11, 6, 9.0],
        [6, 5, 5.4],  # + b1 9 Nov | + b1 b2
        [1, 1, 1.2],
        [76.9, 100.0, 82.4],  # 10/13 | 6/6
    ]
    assert [row[1:] for row in rows(reports["city"], "rooster")] == [
        [11, 6, 11],  # + C 11 16 17 Nov | + C 28 Oct, 4 Nov
        [2, 1, 2],
        [9, 5, 9],
        [2, 1, 2],  # | C 4 Nov
        [17, 10, 17],
        [14, 9, 14],
        [15, 9, 15],
        [9, 8, 9],
        [2, 1, 2],  # a2 9 Nov, c1 16 Nov | a3 2 Nov
        [82.4, 90.0, 82.4],
    ]
    assert reports["hub"].table("rooster").row_kinds == ["int"] * 9 + ["pct"]


def test_clusters_worked_against_their_commitment(reports):
    # Cluster | places offered on started, open shifts | signed up | worked | worked of
    # committed. Offers on A's cancelled 12 Nov and unstarted 18 Nov middag do not count.
    assert rows(reports["hub"], "clusters") == [
        ["Belastingen", 3, 2, 1, 33.3],  # 16 Nov 1 + 18 Nov 2 | a3 16, 18 Nov | a3 16 Nov
        ["Jeugd", 1, 0, 0, 0.0],  # 17 Nov, nobody of theirs came
        ["Stadsbeheer", 2, 4, 2, 100.0],  # 9, 16 Nov | a1 9 10 16 18 | a1 9 10
    ]
    assert rows(reports["gebied"], "clusters") == [
        ["Belastingen", 3, 2, 1, 33.3],
        ["Jeugd", 1, 0, 0, 0.0],
        ["Stadsbeheer", 3, 5, 3, 100.0],  # + B 9 Nov: offer 1, b1 came
    ]
    assert rows(reports["city"], "clusters") == [
        ["Belastingen", 5, 4, 3, 60.0],  # + C 11 Nov: offer 2, c2 11 and 16 Nov came
        ["Jeugd", 1, 0, 0, 0.0],
        ["Stadsbeheer", 3, 5, 3, 100.0],
    ]


# --- proposals and kennisbank --------------------------------------------------------------------


def test_proposals(reports):
    # Scope | whole city. Waiting: submitted or in conversation (not the draft, not the
    # withdrawn one). Submitted/decided: within 9–22 Nov. Answer time: submitted → decided.
    expected = [
        ["Waiting for an answer now", 2, 3],  # p3 p4 | + p9
        ["Submitted in the period", 3, 4],  # p2 p3 p7 | + p9
        ["Decided in the period", 2, 3],  # p1 p2 | + p8
        ["Median answer time", 8.0, 13.0],  # [13, 3] days | [3, 13, 15]
    ]
    assert rows(reports["hub"], "voorstellen") == expected
    assert rows(reports["gebied"], "voorstellen") == expected  # B has none
    assert rows(reports["city"], "voorstellen") == [
        ["Waiting for an answer now", 3, 3],
        ["Submitted in the period", 4, 4],
        ["Decided in the period", 3, 3],
        ["Median answer time", 13.0, 13.0],
    ]


def test_kennisbank(reports):
    # This period | previous | city × factor
    assert rows(reports["hub"], "kennisbank") == [
        # qa1 qa4 qa6 qa8 qa9 | qp1 | city 8 × 2/5
        ["Questions answered with an article", 5, 1, 3.2],
        ["Knowledge gaps logged", 3, 1, 1.6],  # | | 4 × 2/5
    ]
    assert rows(reports["gebied"], "kennisbank") == [
        ["Questions answered with an article", 6, 1, 4.8],  # + qb1 | | 8 × 3/5
        ["Knowledge gaps logged", 3, 1, 2.4],
    ]
    assert rows(reports["city"], "kennisbank") == [
        ["Questions answered with an article", 8, 1, 8],  # + qb1 qc1 qc4
        ["Knowledge gaps logged", 4, 1, 4],  # + C 11 Nov
    ]


def test_most_used_articles(reports):
    # Most used first; a tie goes to the article made first.
    assert rows(reports["hub"], "artikelen") == [
        ["Huurtoeslag aanvragen", 2],  # qa1 qa6
        ["Schuldhulp", 2],  # qa8 qa9
        ["Afvalkalender", 1],  # qa4
    ]
    assert rows(reports["gebied"], "artikelen") == [
        ["Huurtoeslag aanvragen", 3],  # + qb1
        ["Schuldhulp", 2],
        ["Afvalkalender", 1],
    ]
    assert rows(reports["city"], "artikelen") == [
        ["Huurtoeslag aanvragen", 3],
        ["Schuldhulp", 3],  # + qc4
        ["Afvalkalender", 2],  # + qc1
    ]


# --- the report as a whole -----------------------------------------------------------------------


def test_every_table_is_checked_here(reports):
    """A table added to the report must get its hand-counted test in this module."""
    assert [t.id for t in reports["hub"].tables] == [
        "kerncijfers",
        "trend",
        "onderwerpen",
        "afhandeling",
        "doorverwijzingen",
        "drukte",
        "terugbelverzoeken",
        "rooster",
        "clusters",
        "voorstellen",
        "kennisbank",
        "artikelen",
    ]


def test_a_hub_without_any_data_has_zeros_and_nothing_to_divide(figures):
    from reports.report import Scope
    from tests.factories import HubFactory

    empty = HubFactory(name="Delta", gebied=figures.zuid)
    with translation.override("en"):
        report = build_report(Scope("hub", empty.name, [empty.pk], empty), PERIOD, today=TODAY)
    headline = {row[0]: row[1:] for row in report.headline.rows}
    # No open weeks: the city's average hub in zero weeks had nothing.
    assert headline["Questions"] == [0, 0, 0.0]
    assert headline["Answered on the spot"] == [None, None, 44.0]
    assert headline["Callbacks made on time"] == [None, None, 57.1]
    assert headline["Median time to completion"] == [None, None, 40.0]
    assert headline["Fill rate"] == [None, None, 82.4]
    assert rows(report, "trend") == [[W3, 0, 0, 0.0], [W4, 0, 0, 0.0]]
    assert rows(report, "onderwerpen") == []
    assert rows(report, "terugbelverzoeken")[0] == ["Total", 0, 0, None, None, None, None]
    assert rows(report, "artikelen") == []
