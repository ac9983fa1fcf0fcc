"""Proposal workflows. Each write re-reads the proposal under a row lock and checks
the status the person saw (``expected``), so a transition posted twice, or two
people acting at once, gets a clear message instead of a second change."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import ScheduleVersion

from . import rules
from .constants import OPEN_STATUSES, Decision, ProposalNotification, SlotKind, Status
from .models import (
    ATTACHMENT_TYPES,
    Answer,
    Message,
    Proposal,
    ProposalAttachment,
    ProposalSlot,
    Transition,
)


class ProposalError(Exception):
    def __init__(self, message, code: str = "error"):
        super().__init__(str(message))
        self.message, self.code = message, code


def _version_in_force(hub, day: dt.date):
    return (
        ScheduleVersion.objects.filter(hub=hub, valid_from__lte=day).order_by("-valid_from").first()
    )


def _write_slots(proposal: Proposal, slots, kind: str) -> None:
    proposal.slots.filter(kind=kind).delete()
    ProposalSlot.objects.bulk_create(
        ProposalSlot(proposal=proposal, kind=kind, **slot) for slot in slots
    )


def _check_start(day: dt.date, field: str = "start") -> None:
    if day <= timezone.localdate():
        raise ProposalError(_("The start date must be in the future."), field)


def proposal_create(
    *, hub, user, title: str, argumentation: str, desired_start: dt.date, slots
) -> Proposal:
    if not rules.can_create_for(user, hub):
        raise ProposalError(
            _("Only members of this hub's wijkraad can make a proposal."), "forbidden"
        )
    _check_start(desired_start)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            hub=hub,
            title=title,
            argumentation=argumentation,
            desired_start=desired_start,
            created_by=user,
            base_version=_version_in_force(hub, timezone.localdate()),
        )
        _write_slots(proposal, slots, SlotKind.PROPOSED)
        Transition.objects.create(proposal=proposal, to_status=Status.CONCEPT, by=user)
    return proposal


def _locked(proposal_id: int, expected: str | None) -> Proposal:
    try:
        proposal = Proposal.objects.select_for_update().select_related("hub").get(pk=proposal_id)
    except Proposal.DoesNotExist:
        raise ProposalError(_("This proposal does not exist."), "missing") from None
    if expected is not None and proposal.status != expected:
        raise ProposalError(
            _("This proposal is already “%(status)s”: the page you used was out of date.")
            % {"status": proposal.get_status_display()},
            "stale",
        )
    return proposal


def proposal_update(
    *, proposal_id: int, user, title: str, argumentation: str, desired_start: dt.date, slots
) -> Proposal:
    _check_start(desired_start)
    with transaction.atomic():
        proposal = _locked(proposal_id, Status.CONCEPT)
        if not rules.can_edit(user, proposal):
            raise ProposalError(_("You cannot change this proposal."), "forbidden")
        proposal.title, proposal.argumentation = title, argumentation
        proposal.desired_start = desired_start
        proposal.save(update_fields=["title", "argumentation", "desired_start"])
        _write_slots(proposal, slots, SlotKind.PROPOSED)
    return proposal


def _transition(proposal: Proposal, to: str, user, note: str = "") -> Transition:
    step = Transition.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, by=user, note=note
    )
    proposal.status = to
    _notify(ProposalNotification.STATUS, step.pk)
    return step


def proposal_transition(
    *, proposal_id: int, user, to: str, expected: str, note: str = ""
) -> Proposal:
    """Submit, withdraw (with a reason) or start the conversation."""
    with transaction.atomic():
        proposal = _locked(proposal_id, expected)
        if to not in rules.allowed_transitions(user, proposal):
            raise ProposalError(_("You cannot make this change to the proposal."), "forbidden")
        fields = ["status"]
        if to == Status.WITHDRAWN:
            if not note.strip():
                raise ProposalError(_("Say why the proposal is withdrawn."), "reason")
            proposal.withdrawn_reason = note[:300]
            fields.append("withdrawn_reason")
        step = _transition(proposal, to, user, note)
        if to == Status.SUBMITTED:
            if not proposal.slots.filter(kind=SlotKind.PROPOSED).exists():
                raise ProposalError(_("The proposal has no opening hours yet."), "empty")
            _check_start(proposal.desired_start)
            proposal.submitted_at = step.at
            proposal.answer_due = timezone.localdate() + dt.timedelta(
                weeks=settings.PROPOSAL_ANSWER_WEEKS
            )
            fields += ["submitted_at", "answer_due"]
            _notify(ProposalNotification.SUBMITTED, step.pk)
        proposal.save(update_fields=fields)
    return proposal


def answer_save_draft(
    *, proposal_id: int, user, decision: str, motivation: str, start_date: dt.date | None
) -> Answer:
    """A version of the answer, visible to the city only until it is published."""
    with transaction.atomic():
        proposal = _locked(proposal_id, None)
        if not rules.can_draft_answer(user, proposal):
            raise ProposalError(_("You cannot answer this proposal."), "forbidden")
        return Answer.objects.create(
            proposal=proposal,
            decision=decision,
            motivation=motivation,
            start_date=start_date,
            written_by=user,
        )


def proposal_decide(
    *,
    proposal_id: int,
    user,
    expected: str,
    decision: str,
    motivation: str,
    start_date: dt.date | None = None,
    adopted_slots=None,
) -> Proposal:
    """Publishes the answer. Accepted (or partly, with the adopted grid): a new schedule
    version from ``start_date`` and the proposal is planned; the shifts follow.
    Rejected: the motivation is required and the proposal is decided."""
    if decision not in Decision.values:
        raise ProposalError(_("Choose a decision."), "decision")
    if not motivation.strip():
        raise ProposalError(_("The answer needs a motivation."), "motivation")
    accepted = decision in (Decision.ACCEPTED, Decision.PARTLY)
    if accepted:
        if start_date is None:
            raise ProposalError(_("An accepted proposal needs a start date."), "start")
        _check_start(start_date)
    if decision == Decision.PARTLY and not adopted_slots:
        raise ProposalError(
            _("A partly accepted proposal needs the adopted opening hours."), "adopted"
        )
    now = timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal_id, expected)
        if not rules.can_decide(user, proposal):
            raise ProposalError(_("Only the coordinator decides on proposals."), "forbidden")
        Answer.objects.create(
            proposal=proposal,
            decision=decision,
            motivation=motivation,
            start_date=start_date if accepted else None,
            written_by=user,
            written_at=now,
            published_at=now,
        )
        proposal.decision, proposal.decided_at = decision, now
        _transition(proposal, Status.DECIDED, user, motivation)
        fields = ["status", "decision", "decided_at"]
        if accepted:
            if decision == Decision.PARTLY:
                _write_slots(proposal, adopted_slots, SlotKind.ADOPTED)
                slots = adopted_slots
            else:
                slots = [s.as_slot_dict() for s in proposal.slots_of(SlotKind.PROPOSED)]
            from hubs.services import schedule_version_create

            try:
                with transaction.atomic():
                    version = schedule_version_create(
                        hub=proposal.hub,
                        valid_from=start_date,
                        slots=slots,
                        user=user,
                        note=str(_("Wijkraad proposal: %(title)s") % {"title": proposal.title}),
                    )
            except IntegrityError:
                raise ProposalError(
                    _("The hub already has opening hours starting on that date; choose another."),
                    "start",
                ) from None
            proposal.start_date, proposal.effective_version = start_date, version
            _transition(proposal, Status.PLANNED, user)
            fields += ["start_date", "effective_version"]
            hub_id = proposal.hub_id
            transaction.on_commit(lambda: _sync_shifts(hub_id))
        proposal.save(update_fields=fields)
    return proposal


def _sync_shifts(hub_id: int) -> None:
    from scheduling.tasks import sync_shifts

    sync_shifts.delay(hub_id)


def proposal_message(*, proposal_id: int, user, body: str, internal: bool = False) -> Message:
    if not body.strip():
        raise ProposalError(_("Write a message first."), "empty")
    with transaction.atomic():
        proposal = _locked(proposal_id, None)
        if not rules.can_write(user, proposal, internal=internal):
            raise ProposalError(_("You cannot write here."), "forbidden")
        message = Message.objects.create(
            proposal=proposal, author=user, body=body, internal=internal
        )
        if not internal:
            _notify(ProposalNotification.MESSAGE, message.pk)
    return message


def proposal_set_publication(*, proposal_id: int, user, public: bool) -> Proposal:
    with transaction.atomic():
        proposal = _locked(proposal_id, None)
        if not rules.can_set_publication(user, proposal):
            raise ProposalError(_("Only the coordinator decides what is published."), "forbidden")
        proposal.publish_on_hub_page = public
        proposal.save(update_fields=["publish_on_hub_page"])
    return proposal


def proposals_bring_into_force(*, today: dt.date | None = None) -> int:
    """Planned proposals whose start date has come are in force (the schedule version
    already is, by its date); the wijkraad is told."""
    today = today or timezone.localdate()
    done = 0
    for pk in Proposal.objects.filter(status=Status.PLANNED, start_date__lte=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            proposal = _locked(pk, Status.PLANNED)
            _transition(proposal, Status.IN_FORCE, None)
            proposal.save(update_fields=["status"])
        done += 1
    return done


def _notify(kind: str, object_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.notify.delay(kind, object_id))


__all__ = ["ProposalError", "OPEN_STATUSES"]


# --- attachments -----------------------------------------------------------------------------

# Stored names are random; the name the file came with is for display and download only.
ATTACHMENT_NAME_LENGTH = 150
# Enough of the start of a file to recognise it (and to see that "text" is text).
_SNIFF_BYTES = 8192


def attachment_type_labels() -> str:
    """The allowed types as people know them: "PDF, PNG, JPEG, ..."."""
    labels = dict.fromkeys("JPEG" if ext == "jpg" else ext.upper() for ext in ATTACHMENT_TYPES)
    return ", ".join(labels)


def _display_name(name: str) -> str:
    """The uploaded file's own name, fit to show: no folders, no control characters,
    no runs of spaces, at most ATTACHMENT_NAME_LENGTH characters (the extension kept)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = " ".join(name.split())
    if len(name) > ATTACHMENT_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: ATTACHMENT_NAME_LENGTH - len(suffix)] + suffix
    return name


def _check_upload(upload) -> tuple[str, str, str]:
    """(display name, extension, content type) of an acceptable upload; a ProposalError
    saying what is wrong with it otherwise. The extension decides the type and the
    first bytes must match it, so a renamed program is refused."""
    name = _display_name(upload.name or "")
    ext = PurePosixPath(name.lower()).suffix.lstrip(".")
    if ext not in ATTACHMENT_TYPES:
        raise ProposalError(
            _("“%(name)s” cannot be attached: only %(types)s files are allowed.")
            % {"name": name, "types": attachment_type_labels()},
            "type",
        )
    if not upload.size:
        raise ProposalError(_("“%(name)s” is empty.") % {"name": name}, "empty")
    max_mb = settings.PROPOSAL_ATTACHMENT_MAX_MB
    if upload.size > max_mb * 1024 * 1024:
        raise ProposalError(
            _("“%(name)s” is too large: a file can be at most %(max)s MB.")
            % {"name": name, "max": max_mb},
            "size",
        )
    content_type, signatures = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if signatures:
        matches = any(head.startswith(signature) for signature in signatures)
    else:
        matches = b"\x00" not in head  # text has no NUL bytes; programs and images do
    if not matches:
        raise ProposalError(
            _("“%(name)s” is not a real %(type)s file: its content does not match its name.")
            % {"name": name, "type": "JPEG" if ext == "jpg" else ext.upper()},
            "type",
        )
    return name, ext, content_type


def proposal_attachment_add(*, proposal_id: int, user, upload) -> ProposalAttachment:
    """Attaches an uploaded file (a Django ``UploadedFile``) to the proposal, under a
    random name; see ``rules.can_attach`` for who may and when."""
    name, ext, content_type = _check_upload(upload)
    with transaction.atomic():
        proposal = _locked(proposal_id, None)
        if not rules.can_attach(user, proposal):
            raise ProposalError(_("You cannot add files to this proposal."), "forbidden")
        limit = settings.PROPOSAL_ATTACHMENT_MAX_COUNT
        if proposal.attachments.count() >= limit:
            raise ProposalError(
                _("A proposal can have at most %(max)s attachments. Remove one first.")
                % {"max": limit},
                "count",
            )
        attachment = ProposalAttachment(
            proposal=proposal,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)  # no row, so no file either
            raise
    return attachment


def proposal_attachment_remove(*, attachment_id: int, user) -> ProposalAttachment:
    """Removes an attachment; its file is deleted once the removal is committed."""
    proposal_id = (
        ProposalAttachment.objects.filter(pk=attachment_id)
        .values_list("proposal_id", flat=True)
        .first()
    )
    missing = ProposalError(_("This attachment does not exist (any more)."), "missing")
    if proposal_id is None:
        raise missing
    with transaction.atomic():
        proposal = _locked(proposal_id, None)
        # Read again under the proposal's lock: removed twice is "missing", not an error.
        attachment = ProposalAttachment.objects.filter(pk=attachment_id).first()
        if attachment is None:
            raise missing
        attachment.proposal = proposal
        if not rules.can_remove_attachment(user, attachment):
            raise ProposalError(_("You cannot remove this attachment."), "forbidden")
        storage, stored_name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored_name))
    return attachment
