"""Walk-in questions, referrals, callback requests and the kennisbank.

A ``Question`` is anonymous: hub, moment, topic, outcome. A ``CallbackRequest``
hangs off a question and is the only place residents' personal data lives; its
personal fields are emptied by ``CallbackRequest.purge`` (a periodic task) a while
after it is closed, and every view of them is recorded in ``PersonalDataAccess``.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.constants import Dagdeel

from .constants import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AttemptResult,
    CallbackEventKind,
    CallbackStatus,
    Language,
    Outcome,
    ReferralKind,
)


def _label(choices: type[models.TextChoices], value: str) -> str:
    """What ``get_FOO_display()`` gives: the label of ``value``, or the value itself when
    it is not one of the choices (a blank one). Django's own version hashes every choice
    of the field on each call, which adds up on lists of fifty rows."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def main(self):
        return self.filter(parent__isnull=True)


class Topic(models.Model):
    """A question topic; a topic with a parent is a subtopic (two levels at most)."""

    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_topic_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unique_main_topic_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A subtopic cannot have subtopics of its own.")})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("This topic has subtopics: it must stay a main topic.")}
            )

    @property
    def main_topic_id(self) -> int:
        return self.parent_id or self.pk


class ReferralTargetQuerySet(models.QuerySet):
    def for_hub(self, hub):
        return self.filter(is_active=True).filter(Q(all_hubs=True) | Q(hubs=hub)).distinct()


class ReferralTarget(models.Model):
    """A department or partner organisation a resident can be referred to."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReferralKind.choices)
    description = models.CharField(
        _("how to reach them"),
        max_length=300,
        blank=True,
        help_text=_("Address, opening hours or phone, for the host."),
    )
    all_hubs = models.BooleanField(_("for every hub"), default=False)
    hubs = models.ManyToManyField(
        "hubs.Hub", verbose_name=_("hubs"), blank=True, related_name="referral_targets"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferralTargetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("referral destination")
        verbose_name_plural = _("referral destinations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of a department that phones residents back."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    cluster = models.ForeignKey(
        "accounts.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="teams"
    )
    due_working_days = models.PositiveSmallIntegerField(
        _("callback within (working days)"),
        default=2,
        help_text=_("Working days: weekends and the city's closing days do not count."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts before unreachable"),
        default=3,
        help_text=_("After this many failed call attempts the callback is marked unreachable."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_working_days__gte=1, max_attempts__gte=1), name="team_sane_limits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("questions:team_queue", args=[self.pk])


class Article(models.Model):
    """A kennisbank article: the 14010 knowledge the desk answers with."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="articles"
    )
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("kennisbank article")
        verbose_name_plural = _("kennisbank articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:article_detail", args=[self.pk])


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see every question; others those of the hubs they work at."""
        access = user.access
        if access.is_coordinator:
            return self
        return self.filter(hub_id__in=access.related_hub_ids)


class Question(models.Model):
    """One walk-in question at the desk. Anonymous: no personal data here."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="questions"
    )
    date = models.DateField(_("date"))
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices, blank=True)
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    referral_target = models.ForeignKey(
        ReferralTarget,
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    note = models.CharField(
        _("note"),
        max_length=280,
        blank=True,
        help_text=_("No names, phone numbers or other personal data."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    article = models.ForeignKey(
        Article,
        verbose_name=_("kennisbank article used"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["hub", "date"], name="question_hub_date"),
            models.Index(fields=["-created_at", "-id"], name="question_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REFERRED) | Q(referral_target__isnull=False),
                name="referral_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub} {self.created_at:%d-%m-%Y %H:%M} {self.topic}"

    def get_dagdeel_display(self) -> str:
        return _label(Dagdeel, self.dagdeel)

    def get_outcome_display(self) -> str:
        return _label(Outcome, self.outcome)

    def get_language_display(self) -> str:
        return _label(Language, self.language)

    def can_be_corrected_by(self, user, now: dt.datetime | None = None) -> bool:
        """Its author may correct it for a short while (QUESTION_CORRECTION_MINUTES)."""
        now = now or timezone.now()
        window = dt.timedelta(minutes=settings.QUESTION_CORRECTION_MINUTES)
        return self.created_by_id == user.pk and now - self.created_at <= window


class KnowledgeGap(models.Model):
    """ "Geen antwoord gevonden": the kennisbank had no answer to this question."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.CASCADE, related_name="knowledge_gaps"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_gaps",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_gaps",
    )
    search_terms = models.CharField(_("searched for"), max_length=200, blank=True)
    note = models.CharField(_("what was asked"), max_length=280, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    resolved_article = models.ForeignKey(
        Article,
        verbose_name=_("answered by article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("knowledge gap")
        verbose_name_plural = _("knowledge gaps")

    def __str__(self) -> str:
        return self.search_terms or self.note or str(self.topic)


REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 5/S, 8/B)


def new_reference() -> str:
    """Short enough to read out on the phone: TB-XXXX-XX."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"TB-{code[:4]}-{code[4:]}"


class CallbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def with_personal_data_for(self, user):
        """Callbacks whose personal data ``user`` may see: its team, the host who
        made it, and the wijkmanagers of its hub (coordinators are not in this list:
        they see the anonymous record only, unless they are in one of these roles)."""
        access = user.access
        return self.filter(
            Q(team__members=user) | Q(created_by=user) | Q(hub_id__in=access.managed_hub_ids)
        ).distinct()


class CallbackRequest(models.Model):
    """A department phones the resident back. The only model with residents' data."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    question = models.OneToOneField(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="callback"
    )
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="callbacks"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="callbacks"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    due_date = models.DateField(_("call back by"))
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_callbacks",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.CharField(
        _("result"),
        max_length=300,
        blank=True,
        help_text=_("What was agreed with the resident (no personal data)."),
    )
    # --- personal data: emptied by purge() --------------------------------------------
    resident_name = models.CharField(_("resident's name"), max_length=120, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    reachable = models.CharField(
        _("when reachable"), max_length=120, blank=True, help_text=_("E.g. 'weekdays after 15:00'.")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.DUTCH
    )
    question_text = models.TextField(_("the question"), max_length=1000, blank=True)
    consent_at = models.DateTimeField(
        _("consent recorded at"),
        null=True,
        blank=True,
        help_text=_("The resident agreed that the city stores these details to call back."),
    )
    purged_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    objects = CallbackQuerySet.as_manager()

    PERSONAL_FIELDS = ("resident_name", "phone", "email", "reachable", "question_text")

    class Meta:
        ordering = ["due_date", "created_at"]
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        indexes = [
            models.Index(fields=["team", "status", "due_date"], name="callback_queue"),
            models.Index(fields=["status", "closed_at"], name="callback_purge"),
            # The team queue's two lists, in their page order: partial, so each holds
            # only the few open (or closed) rows of a team and the first page is read
            # straight off the index. The conditions are those of open() and closed().
            models.Index(
                fields=["team", "due_date", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="callback_open_by_due",
            ),
            models.Index(
                fields=["team", "closed_at", "id"],
                condition=Q(status__in=CLOSED_STATUSES),
                name="callback_closed_by_time",
            ),
            # A hub's open callbacks and how many are overdue ("Mijn hub deze week", the
            # digest): counted off this small index instead of all of the hub's rows.
            models.Index(
                fields=["hub", "due_date"],
                condition=Q(status__in=OPEN_STATUSES),
                name="callback_open_by_hub",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purged_at__isnull=False)
                | (Q(consent_at__isnull=False) & (~Q(phone="") | ~Q(email=""))),
                name="callback_has_consent_and_contact",
            ),
        ]

    def __str__(self) -> str:
        # Never personal data: this ends up in logs and admin lists.
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("questions:callback_detail", args=[self.reference])

    def get_status_display(self) -> str:
        return _label(CallbackStatus, self.status)

    def get_language_display(self) -> str:
        return _label(Language, self.language)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    def personal_data_visible_to(self, user) -> bool:
        access = user.access
        return (
            self.created_by_id == user.pk
            or self.hub_id in access.managed_hub_ids
            or self.team.members.filter(pk=user.pk).exists()
        )

    def purge(self, now: dt.datetime | None = None) -> None:
        """Empties the personal fields; the anonymous record stays for reports."""
        for name in self.PERSONAL_FIELDS:
            setattr(self, name, "")
        self.purged_at = now or timezone.now()
        self.save(update_fields=[*self.PERSONAL_FIELDS, "purged_at"])
        self.attempts.exclude(note="").update(note="")
        self.events.exclude(note="").update(note="")


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(
        CallbackRequest,
        verbose_name=_("callback request"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=12, choices=AttemptResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.callback_id} {self.at:%d-%m-%Y %H:%M} {self.result}"


class CallbackEvent(models.Model):
    """The timeline of a callback: who did what, when (claim, forward, reopen...)."""

    callback = models.ForeignKey(
        CallbackRequest,
        verbose_name=_("callback request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=12, choices=CallbackEventKind.choices)
    from_team = models.ForeignKey(
        Team,
        verbose_name=_("from team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_team = models.ForeignKey(
        Team,
        verbose_name=_("to team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("callback event")
        verbose_name_plural = _("callback events")

    def __str__(self) -> str:
        return f"{self.callback_id} {self.at:%d-%m-%Y %H:%M} {self.kind}"


class PersonalDataAccess(models.Model):
    """Every time someone is shown a resident's personal data (AVG: who, when, what)."""

    callback = models.ForeignKey(
        CallbackRequest,
        verbose_name=_("callback request"),
        on_delete=models.CASCADE,
        related_name="accesses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    purpose = models.CharField(_("page"), max_length=40)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%d-%m-%Y %H:%M} {self.callback_id}"
