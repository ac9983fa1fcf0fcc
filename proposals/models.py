"""A wijkraad's proposal to change its hub's opening hours, and what the city did with it.

The proposal carries its own weekly grid (``ProposalSlot`` of kind "proposed"); a
partial acceptance records the grid the city adopted (kind "adopted"). Every
status change is a ``Transition`` (the timeline), every version of the city's
answer an ``Answer`` (drafts stay internal until published), and the conversation
is ``Message`` rows, some of them internal notes the wijkraad never sees.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.constants import NORM_MIN_DAGDELEN, NORM_MIN_DAYS, Dagdeel, Weekday

from .constants import Decision, SlotKind, Status


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators: all; wijkmanagers: their hubs; wijkraad members: their hub's
        (drafts only for the wijkraad itself)."""
        from accounts.constants import Role

        access = user.access
        if access.is_coordinator:
            return self.exclude(status=Status.CONCEPT)
        wijkraad_hubs = access.hub_ids(Role.WIJKRAAD)
        return self.filter(
            Q(hub_id__in=wijkraad_hubs)
            | (Q(hub_id__in=access.managed_hub_ids) & ~Q(status=Status.CONCEPT))
        )

    def public(self):
        """Decided proposals whose answer residents may read on the hub page."""
        return self.filter(
            publish_on_hub_page=True,
            status__in=[Status.DECIDED, Status.PLANNED, Status.IN_FORCE],
        )


class Proposal(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=150)
    argumentation = models.TextField(
        _("arguments"), help_text=_("Why the wijkraad proposes this: what residents need.")
    )
    desired_start = models.DateField(_("desired start date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONCEPT
    )
    base_version = models.ForeignKey(
        "hubs.ScheduleVersion",
        verbose_name=_("opening hours it started from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    start_date = models.DateField(_("in force from"), null=True, blank=True)
    effective_version = models.OneToOneField(
        "hubs.ScheduleVersion",
        verbose_name=_("resulting opening hours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    publish_on_hub_page = models.BooleanField(
        _("show on the public hub page"),
        default=True,
        help_text=_("Decided proposals and the city's answer are public unless switched off."),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["hub", "status"], name="proposal_hub_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PLANNED, Status.IN_FORCE])
                | Q(effective_version__isnull=False, start_date__isnull=False),
                name="planned_proposal_has_version",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.DECIDED, Status.PLANNED, Status.IN_FORCE])
                | ~Q(decision=""),
                name="decided_proposal_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    def slots_of(self, kind: str = SlotKind.PROPOSED) -> list[ProposalSlot]:
        return [s for s in self.slots.all() if s.kind == kind]

    def is_overdue(self, today: dt.date | None = None) -> bool:
        from .constants import OPEN_STATUSES

        return (
            self.status in OPEN_STATUSES
            and self.answer_due is not None
            and self.answer_due < (today or timezone.localdate())
        )

    def published_answer(self):
        answers = [a for a in self.answers.all() if a.published_at]
        return max(answers, key=lambda a: a.published_at) if answers else None


class ProposalSlot(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="slots"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SlotKind.choices, default=SlotKind.PROPOSED
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices)
    start_time = models.TimeField(_("opens at"))
    end_time = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["kind", "weekday", "start_time"]
        verbose_name = _("proposed opening slot")
        verbose_name_plural = _("proposed opening slots")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "kind", "weekday", "dagdeel"],
                name="one_proposal_slot_per_dagdeel",
            ),
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="proposal_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_dagdeel_display()}"

    def as_slot_dict(self) -> dict:
        return {
            "weekday": self.weekday,
            "dagdeel": self.dagdeel,
            "start_time": self.start_time,
            "end_time": self.end_time,
        }


def norm_counts(slots) -> tuple[int, int, bool]:
    """(dagdelen, days, meets the norm) of a weekly grid given as slot-like objects."""
    dagdelen = len(slots)
    days = len({s.weekday if hasattr(s, "weekday") else s["weekday"] for s in slots})
    return dagdelen, days, dagdelen >= NORM_MIN_DAGDELEN and days >= NORM_MIN_DAYS


class Transition(models.Model):
    """One step of the proposal's timeline: who moved it from which status to which."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class Message(models.Model):
    """The conversation between the wijkraad and the city; internal notes are the city's."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Only the city sees internal notes.")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.created_at:%d-%m-%Y %H:%M}"


class Answer(models.Model):
    """A version of the city's answer. Drafts are internal; publishing one decides."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="answers"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    motivation = models.TextField(_("motivation"))
    start_date = models.DateField(_("in force from"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.get_decision_display()}"


# The file types a proposal may carry: extension -> (content type, the file's first bytes).
# The content type served is ours, never the browser's; b"" means there is no cheap
# signature (plain text is checked for NUL bytes instead). DOCX, XLSX, ODT and ODS are
# all zip files.
_ZIP = b"PK\x03\x04"
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    "txt": ("text/plain; charset=utf-8", ()),
}


class ProposalAttachment(models.Model):
    """A file added to a proposal (a petition, a survey, a photo). Stored under a random
    name; the name it was uploaded with is kept for display and download only. The file
    is reachable only through the permission-checked download view, never by URL."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="proposals/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("proposals:attachment_download", args=[self.pk])
