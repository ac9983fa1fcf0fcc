import datetime as dt

import factory
from django.utils.text import slugify

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment, User
from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import ClosingDay, Closure, Gebied, Hub, MobileStop, OpeningSlot, ScheduleVersion

PASSWORD = "test-wachtwoord-123"  # noqa: S105


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Cluster {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebied
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gebied {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    gebied = factory.SubFactory(GebiedFactory)
    wijk = factory.LazyAttribute(lambda o: o.name)
    address = factory.Sequence(lambda n: f"Teststraat {n + 1}")
    postcode = "3072 AN"


class ScheduleVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleVersion

    hub = factory.SubFactory(HubFactory)
    valid_from = dt.date(2020, 1, 6)


class OpeningSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningSlot

    version = factory.SubFactory(ScheduleVersionFactory)
    weekday = 0
    dagdeel = Dagdeel.OCHTEND
    start_time = factory.LazyAttribute(lambda o: DEFAULT_TIMES[o.dagdeel][0])
    end_time = factory.LazyAttribute(lambda o: DEFAULT_TIMES[o.dagdeel][1])


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    hub = factory.SubFactory(HubFactory)
    start_date = dt.date(2026, 12, 1)
    end_date = dt.date(2026, 12, 2)
    reason = "Verbouwing"


class ClosingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingDay
        django_get_or_create = ("date",)

    date = dt.date(2026, 12, 25)
    name = "Eerste kerstdag"


class MobileStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobileStop

    hub = factory.SubFactory(HubFactory, is_mobile=True)
    date = dt.date(2026, 12, 1)
    dagdeel = Dagdeel.OCHTEND
    place = "Afrikaandermarkt"


STANDARD_WEEK = [
    (0, Dagdeel.OCHTEND),
    (1, Dagdeel.MIDDAG),
    (3, Dagdeel.OCHTEND),
    (3, Dagdeel.MIDDAG),
]


def hub_with_schedule(pattern=STANDARD_WEEK, valid_from=dt.date(2020, 1, 6), **hub_kwargs) -> Hub:
    """A hub open on ``pattern`` ((weekday, dagdeel) pairs) at the standard times."""
    hub = HubFactory(**hub_kwargs)
    version = ScheduleVersionFactory(hub=hub, valid_from=valid_from)
    for weekday, dagdeel in pattern:
        OpeningSlotFactory(version=version, weekday=weekday, dagdeel=dagdeel)
    return hub


def give_role(user: User, role: str, hub: Hub | None = None) -> User:
    RoleAssignment.objects.get_or_create(user=user, role=role, hub=hub)
    if hasattr(user, "_access"):
        del user._access
    return user


__all__ = ["Role", "PASSWORD"]


# --- rostering ---------------------------------------------------------------------------


def make_shift(hub=None, day=dt.date(2026, 12, 7), dagdeel=Dagdeel.OCHTEND, **kwargs):
    """A shift on ``day`` at the standard times of ``dagdeel``."""
    from django.utils import timezone

    from scheduling.models import Shift

    hub = hub or HubFactory()
    tz = timezone.get_current_timezone()
    start, end = DEFAULT_TIMES[dagdeel]
    defaults = {"min_staff": 2, "max_staff": 3}
    defaults.update(kwargs)
    return Shift.objects.create(
        hub=hub,
        date=day,
        dagdeel=dagdeel,
        starts_at=dt.datetime.combine(day, start, tzinfo=tz),
        ends_at=dt.datetime.combine(day, end, tzinfo=tz),
        **defaults,
    )


def staff_member(role=Role.MEDEWERKER, cluster=None, **kwargs) -> User:
    user = UserFactory(cluster=cluster, **kwargs)
    return give_role(user, role)


# --- questions and callbacks ----------------------------------------------------------------


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Topic"
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    parent = None


class ReferralTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.ReferralTarget"

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = "partner"
    all_hubs = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Team"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.add(*extracted)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Article"

    title = factory.Sequence(lambda n: f"Artikel {n}")
    body = "Uitleg voor de balie."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Question"

    hub = factory.SubFactory(HubFactory)
    date = dt.date(2026, 11, 23)
    created_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.date, dt.time(10), tzinfo=dt.UTC)
    )
    topic = factory.SubFactory(TopicFactory)
    outcome = "answered"


def make_callback(hub=None, team=None, user=None, **kwargs):
    """A callback request made through the service (due date, reference, event)."""
    from questions.services import callback_create

    hub = hub or HubFactory()
    fields = {
        "topic": TopicFactory(name="Wonen"),
        "resident_name": "Jan Jansen",
        "phone": "0612345678",
        "email": "",
        "reachable": "na 15:00",
        "language": "nl",
        "question_text": "Vraag over huurtoeslag",
        "consent": True,
    }
    fields.update(kwargs)
    return callback_create(
        hub=hub, user=user or UserFactory(), team=team or TeamFactory(), **fields
    )


# --- wijkraad proposals ---------------------------------------------------------------------


def proposal_slots(pattern=STANDARD_WEEK) -> list[dict]:
    return [
        {
            "weekday": day,
            "dagdeel": dagdeel,
            "start_time": DEFAULT_TIMES[dagdeel][0],
            "end_time": DEFAULT_TIMES[dagdeel][1],
        }
        for day, dagdeel in pattern
    ]


def make_proposal(hub, author, *, pattern=None, submit=False, desired_start=None, **kwargs):
    """A proposal made (and optionally submitted) through the services, by ``author``
    (who must be a wijkraad member of ``hub``)."""
    from django.utils import timezone

    from proposals.constants import Status
    from proposals.services import proposal_create, proposal_transition

    pattern = pattern or [*STANDARD_WEEK, (5, Dagdeel.OCHTEND)]
    proposal = proposal_create(
        hub=hub,
        user=author,
        title=kwargs.pop("title", "Zaterdagochtend open"),
        argumentation=kwargs.pop("argumentation", "Werkende bewoners kunnen doordeweeks niet."),
        desired_start=desired_start or timezone.localdate() + dt.timedelta(days=60),
        slots=proposal_slots(pattern),
    )
    if submit:
        proposal = proposal_transition(
            proposal_id=proposal.pk, user=author, to=Status.SUBMITTED, expected=Status.CONCEPT
        )
    return proposal
