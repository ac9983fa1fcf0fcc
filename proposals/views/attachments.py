"""Files attached to a proposal (a petition, a survey, photos): adding, downloading and
removing them. The list and the upload form are part of the proposal page
(templates/proposals/_attachments.html, filled by ``attachments_context``).

The files are never served from a public URL: the download view streams them to
whoever may see the proposal (``rules.can_view``) and answers 404 to anyone else, also
for a guessed id. Who may add or remove a file is ``rules.can_attach`` and
``rules.can_remove_attachment``; ``services`` checks again under the proposal's lock
and checks the file itself (type, first bytes, size, how many).
"""

from __future__ import annotations

import copy
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import rules, selectors, services
from ..constants import OPEN_STATUSES, Status
from ..models import ATTACHMENT_TYPES, Proposal, ProposalAttachment
from ..services import ProposalError

logger = logging.getLogger(__name__)


# --- access ----------------------------------------------------------------------------------


def _proposal_for_user(request, pk: int) -> Proposal:
    """The proposal if the user may see it; a 404 otherwise (also for a forged id)."""
    proposal = Proposal.objects.select_related("hub").filter(pk=pk).first()
    if proposal is None or not rules.can_view(request.user, proposal):
        raise Http404
    return proposal


def _attachment_for_user(request, attachment_id: int) -> ProposalAttachment:
    """The attachment if the user may see its proposal; a 404 otherwise."""
    attachment = (
        ProposalAttachment.objects.select_related("proposal__hub").filter(pk=attachment_id).first()
    )
    if attachment is None or not rules.can_view(request.user, attachment.proposal):
        raise Http404
    return attachment


def _closed_for(user, proposal: Proposal) -> bool:
    """True when ``user`` could add files were the proposal still open, but it is
    decided or withdrawn: they get a message rather than a 403."""
    if proposal.status == Status.CONCEPT or proposal.status in OPEN_STATUSES:
        return False
    still_open = copy.copy(proposal)
    still_open.status = Status.SUBMITTED
    return rules.can_attach(user, still_open)


def _back(proposal: Proposal):
    return redirect(f"{proposal.get_absolute_url()}#attachments")


def _closed_message(request, proposal: Proposal):
    messages.error(
        request,
        _("This proposal is “%(status)s”: its attachments can no longer be changed.")
        % {"status": proposal.get_status_display()},
    )
    return _back(proposal)


# --- what the proposal page shows ------------------------------------------------------------


def attachments_context(request, proposal: Proposal) -> dict:
    """What templates/proposals/_attachments.html needs, as ``{"attachments": {...}}``.
    One query: the attachments with who added them."""
    user = request.user
    rows = []
    for attachment in selectors.with_person(proposal.attachments.all(), "uploaded_by"):
        attachment.proposal = proposal
        rows.append(
            {
                "attachment": attachment,
                "can_remove": rules.can_remove_attachment(user, attachment),
            }
        )
    max_count = settings.PROPOSAL_ATTACHMENT_MAX_COUNT
    may_attach = rules.can_attach(user, proposal)
    return {
        "attachments": {
            "rows": rows,
            "can_add": may_attach and len(rows) < max_count,
            "is_full": may_attach and len(rows) >= max_count,
            "max_count": max_count,
            "max_mb": settings.PROPOSAL_ATTACHMENT_MAX_MB,
            "types": services.attachment_type_labels(),
            "accept": ",".join(f".{ext}" for ext in ATTACHMENT_TYPES),
            "add_url": reverse("proposals:attachment_add", args=[proposal.pk]),
        }
    }


# --- the actions -----------------------------------------------------------------------------


@require_POST
def attachment_add(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    if not rules.can_attach(request.user, proposal):
        if _closed_for(request.user, proposal):
            return _closed_message(request, proposal)
        raise PermissionDenied(_("You cannot add files to this proposal."))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return _back(proposal)
    try:
        attachment = services.proposal_attachment_add(
            proposal_id=proposal.pk, user=request.user, upload=upload
        )
    except ProposalError as error:
        if error.code == "forbidden":
            raise PermissionDenied(str(error.message)) from error
        messages.error(request, str(error.message))
        return _back(proposal)
    messages.success(
        request,
        _("“%(name)s” is attached to the proposal.") % {"name": attachment.original_name},
    )
    return _back(proposal)


@require_safe
def attachment_download(request, attachment_id: int):
    attachment = _attachment_for_user(request, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        # The row is there but the file is not (a lost volume, a restore without media).
        logger.error("Attachment %s: file %s is missing", attachment.pk, attachment.file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Personal documents: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_remove(request, attachment_id: int):
    attachment = _attachment_for_user(request, attachment_id)
    proposal = attachment.proposal
    if not rules.can_remove_attachment(request.user, attachment):
        if _closed_for(request.user, proposal):
            return _closed_message(request, proposal)
        raise PermissionDenied(_("You cannot remove this attachment."))
    try:
        services.proposal_attachment_remove(attachment_id=attachment.pk, user=request.user)
    except ProposalError as error:
        if error.code == "forbidden":
            raise PermissionDenied(str(error.message)) from error
        messages.error(request, str(error.message))
        return _back(proposal)
    messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return _back(proposal)
