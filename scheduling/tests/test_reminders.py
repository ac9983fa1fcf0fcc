"""The rostering e-mails: each goes once, to the right people, never for what was cancelled."""

import datetime as dt

import pytest
import time_machine

from accounts.constants import Role
from hubs.constants import Dagdeel
from scheduling import notifications, tasks
from scheduling.constants import NotificationKind, SignUpStatus
from scheduling.models import ClusterOffer, SentNotification, Shift, SignUp
from scheduling.services import (
    shift_cancel,
    shifts_sync,
    signup_cancel,
    signup_create,
    waitlist_join,
)
from tests.factories import (
    ClosureFactory,
    ClusterFactory,
    UserFactory,
    give_role,
    hub_with_schedule,
    make_shift,
    staff_member,
)

# The shifts are on Monday 7 December 2026 (make_shift's default day).
MONDAY = dt.date(2026, 12, 7)
SUNDAY_MORNING = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)  # the day before, 09:00
SATURDAY = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _to(mails):
    return sorted(address for m in mails for address in m.to)


def _html(mail) -> str:
    ((body, mimetype),) = mail.alternatives
    assert mimetype == "text/html"
    return body


# --- the day-before reminder ------------------------------------------------------------------


@pytest.fixture
def monday(hub, clock):
    """A shift tomorrow with two people, one on the waitlist and one who cancelled."""
    hub.address, hub.postcode = "Beijerlandselaan 1", "3074 EA"
    hub.save()
    shift = make_shift(hub=hub, min_staff=1, max_staff=2)
    people = [staff_member(email=f"{name}@example.org") for name in ("ans", "bob", "cis", "dirk")]
    signup_create(shift_id=shift.pk, user=people[0])
    gone = signup_create(shift_id=shift.pk, user=people[3])
    signup_cancel(signup_id=gone.pk, user=people[3])
    signup_create(shift_id=shift.pk, user=people[1])
    waitlist_join(shift_id=shift.pk, user=people[2])
    clock.move_to(SUNDAY_MORNING)
    return shift


def test_each_person_in_tomorrows_shift_gets_one_reminder(monday, settings, mailoutbox):
    tasks.send_shift_reminders()
    tasks.send_shift_reminders()  # beat ran twice, or a retry
    assert _to(mailoutbox) == ["ans@example.org", "bob@example.org"]
    mail = mailoutbox[0]
    assert "Feijenoord" in mail.subject
    assert "\n" not in mail.subject
    assert "Beijerlandselaan 1" in mail.body
    assert "09:00" in mail.body and "12:30" in mail.body
    assert settings.SITE_URL + "/rooster/mijn-dagdelen/" in mail.body
    html = _html(mail)
    assert 'href="' in html and "/rooster/mijn-dagdelen/" in html
    assert "Beijerlandselaan 1" in html


def test_no_reminder_before_the_day_before(hub, clock, mailoutbox):
    shift = make_shift(hub=hub, min_staff=1)
    signup_create(shift_id=shift.pk, user=staff_member())
    clock.move_to(SATURDAY)
    tasks.send_shift_reminders()
    assert mailoutbox == []


def test_no_reminder_for_a_cancelled_shift(monday, mailoutbox):
    # Even when the sign-ups were (wrongly) left confirmed.
    Shift.objects.filter(pk=monday.pk).update(is_cancelled=True, cancel_reason="Storing")
    tasks.send_shift_reminders()
    assert mailoutbox == []


def test_no_reminder_for_a_sign_up_cancelled_after_the_sweep_picked_it(monday, mailoutbox):
    ids = list(SignUp.objects.filter(shift=monday).values_list("pk", flat=True))
    SignUp.objects.filter(user__email="ans@example.org").update(status=SignUpStatus.CANCELLED)
    notifications.send(NotificationKind.SHIFT_REMINDER, ids)
    assert _to(mailoutbox) == ["bob@example.org"]


def test_a_reminder_claimed_elsewhere_is_not_sent_again(monday, mailoutbox):
    assert notifications.shift_reminders_due() == 2
    assert notifications.shift_reminders_due() == 0
    assert SentNotification.objects.filter(kind=NotificationKind.SHIFT_REMINDER).count() == 2
    assert len(mailoutbox) == 2


# --- understaffing ------------------------------------------------------------------------------


@pytest.fixture
def short_shift(hub, wijkmanager, clock):
    """Monday's shift needs 3, has 1. Stadsbeheer has an offer in it, Wonen has none."""
    stadsbeheer = ClusterFactory(name="Stadsbeheer")
    wonen = ClusterFactory(name="Wonen")
    shift = make_shift(hub=hub, min_staff=3, max_staff=4)
    ClusterOffer.objects.create(shift=shift, cluster=stadsbeheer, places=2, release_at=SATURDAY)
    inside = staff_member(cluster=stadsbeheer, email="erin@example.org")
    signup_create(shift_id=shift.pk, user=inside)
    staff_member(cluster=stadsbeheer, email="fleur@example.org")
    staff_member(cluster=stadsbeheer, role=Role.KCC, email="gijs@example.org")
    # Hanna left this shift and has a place elsewhere that dagdeel: she may still help.
    hanna = staff_member(cluster=stadsbeheer, email="hanna@example.org")
    left = signup_create(shift_id=shift.pk, user=hanna)
    signup_cancel(signup_id=left.pk, user=hanna)
    signup_create(shift_id=make_shift(min_staff=1).pk, user=hanna)
    staff_member(cluster=wonen, email="ivo@example.org")
    # A wijkraad member of the cluster cannot take a place: not asked.
    give_role(UserFactory(cluster=stadsbeheer, email="jan@example.org"), Role.WIJKRAAD, hub)
    return shift


def test_understaffing_alert_goes_once_to_managers_and_offered_clusters(
    short_shift, clock, mailoutbox
):
    clock.move_to(SATURDAY)
    tasks.send_understaffing_alerts()
    tasks.send_understaffing_alerts()
    assert _to(mailoutbox) == [
        "fleur@example.org",
        "gijs@example.org",
        "hanna@example.org",
        "wijkmanager@example.org",
    ]
    mail = mailoutbox[0]
    assert "Feijenoord" in mail.subject
    assert "2" in mail.body  # two more people needed
    assert "/rooster/" in mail.body
    assert "/rooster/" in _html(mail)


def test_no_alert_further_ahead_than_the_setting(short_shift, settings, mailoutbox):
    # It is Monday 30 November: the shift is a week away.
    tasks.send_understaffing_alerts()
    assert mailoutbox == []
    settings.UNDERSTAFFED_ALERT_DAYS = 7
    tasks.send_understaffing_alerts()
    assert len(mailoutbox) == 4


def test_no_alert_for_a_staffed_or_cancelled_shift(hub, wijkmanager, clock, mailoutbox):
    staffed = make_shift(hub=hub, min_staff=1)
    signup_create(shift_id=staffed.pk, user=staff_member())
    cancelled = make_shift(hub=hub, dagdeel=Dagdeel.MIDDAG, min_staff=2)
    shift_cancel(shift=cancelled, reason="Storing")
    clock.move_to(SATURDAY)
    tasks.send_understaffing_alerts()
    assert mailoutbox == []


# --- a closure cancels the shift ----------------------------------------------------------------


def test_a_closure_cancels_the_shift_and_tells_its_people_once(
    clock, mailoutbox, django_capture_on_commit_callbacks
):
    hub = hub_with_schedule(name="Hillesluis")
    shifts_sync()
    shift = Shift.objects.get(hub=hub, date=MONDAY, dagdeel=Dagdeel.OCHTEND)
    shift.max_staff = 2
    shift.save()
    places = [
        signup_create(shift_id=shift.pk, user=staff_member(email=f"{name}@example.org")).pk
        for name in ("kim", "lars")
    ]
    waitlist_join(shift_id=shift.pk, user=staff_member(email="mo@example.org"))
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=MONDAY, reason="Waterschade")

    with django_capture_on_commit_callbacks(execute=True):
        result = shifts_sync()
    # A second sync, and the task running again, send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        shifts_sync()
        tasks.notify.delay(NotificationKind.SHIFT_CANCELLED, places)

    assert result.cancelled == 1
    shift.refresh_from_db()
    assert shift.is_cancelled and shift.cancel_reason == "Waterschade"
    assert _to(mailoutbox) == ["kim@example.org", "lars@example.org"]
    for mail in mailoutbox:
        assert "Hillesluis" in mail.subject
        assert "Waterschade" in mail.body
        assert "Waterschade" in _html(mail)


# --- waitlist and hand-over ---------------------------------------------------------------------


def test_the_first_on_the_waitlist_is_told_of_the_place(
    hub, clock, mailoutbox, django_capture_on_commit_callbacks
):
    shift = make_shift(hub=hub, min_staff=1, max_staff=1)
    leaver = staff_member(email="noor@example.org")
    place = signup_create(shift_id=shift.pk, user=leaver)
    waitlist_join(shift_id=shift.pk, user=staff_member(email="olaf@example.org"))
    waitlist_join(shift_id=shift.pk, user=staff_member(email="pien@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        signup_cancel(signup_id=place.pk, user=leaver)
    assert _to(mailoutbox) == ["olaf@example.org"]
    assert "Feijenoord" in mailoutbox[0].subject
    assert "/rooster/mijn-dagdelen/" in mailoutbox[0].body
    assert SignUp.objects.get(user__email="olaf@example.org").status == SignUpStatus.CONFIRMED
    # Sent once, even when the task is repeated.
    tasks.notify.delay(
        NotificationKind.WAITLIST_PROMOTED,
        [SignUp.objects.get(user__email="olaf@example.org").pk],
    )
    assert len(mailoutbox) == 1


def test_a_late_cancellation_asks_colleagues_and_managers_to_take_over(
    hub, wijkmanager, clock, mailoutbox, django_capture_on_commit_callbacks
):
    stadsbeheer = ClusterFactory(name="Stadsbeheer")
    shift = make_shift(hub=hub, min_staff=2, max_staff=3)
    requester = staff_member(cluster=stadsbeheer, email="quinten@example.org")
    requester.first_name, requester.last_name = "Quinten", "Roos"
    requester.save()
    place = signup_create(shift_id=shift.pk, user=requester)
    signup_create(shift_id=shift.pk, user=staff_member(email="rik@example.org"))
    staff_member(cluster=stadsbeheer, email="sara@example.org")
    staff_member(cluster=ClusterFactory(name="Wonen"), email="tom@example.org")
    clock.move_to(SATURDAY)  # inside the 48-hour cut-off
    with django_capture_on_commit_callbacks(execute=True):
        result = signup_cancel(signup_id=place.pk, user=requester, reason="Ziek")
    assert not result.cancelled
    assert _to(mailoutbox) == ["sara@example.org", "wijkmanager@example.org"]
    mail = mailoutbox[0]
    assert "Quinten Roos" in mail.body
    assert "Ziek" in mail.body
    assert "/rooster/overdrachten/" in mail.body
    assert "/rooster/overdrachten/" in _html(mail)
    # Asking again, or a repeated task, sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        signup_cancel(signup_id=place.pk, user=requester)
    tasks.notify.delay(NotificationKind.HANDOVER, [result.handover.pk])
    assert len(mailoutbox) == 2
