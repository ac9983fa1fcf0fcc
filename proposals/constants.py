from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_CONVERSATION = "conversation", _("In conversation")
    DECIDED = "decided", _("Decided")
    PLANNED = "planned", _("Planned")
    IN_FORCE = "in_force", _("In force")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class SlotKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the wijkraad")
    ADOPTED = "adopted", _("Adopted by the city")


class ProposalNotification(models.TextChoices):
    STATUS = "proposal_status", _("Proposal status changed")
    MESSAGE = "proposal_message", _("New reply on a proposal")
    SUBMITTED = "proposal_submitted", _("Proposal submitted")
    DUE_SOON = "proposal_due_soon", _("Proposal answer due in a week")
    OVERDUE = "proposal_overdue", _("Proposal answer overdue")


# Who may move a proposal from one status to the next (see services.TRANSITIONS).
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_CONVERSATION)
