"""Who may do what with a proposal: the one place for these rules."""

from __future__ import annotations

from accounts.constants import Role

from .constants import OPEN_STATUSES, Status


def is_wijkraad_of(user, proposal) -> bool:
    return proposal.hub_id in user.access.hub_ids(Role.WIJKRAAD)


def is_city_for(user, proposal) -> bool:
    """The city's side: coordinators, and the wijkmanagers of the proposal's hub."""
    access = user.access
    return access.is_coordinator or proposal.hub_id in access.managed_hub_ids


def can_view(user, proposal) -> bool:
    if proposal.status == Status.CONCEPT:
        return is_wijkraad_of(user, proposal)
    return is_wijkraad_of(user, proposal) or is_city_for(user, proposal)


def can_edit(user, proposal) -> bool:
    return proposal.status == Status.CONCEPT and is_wijkraad_of(user, proposal)


def allowed_transitions(user, proposal) -> list[str]:
    """The statuses ``user`` may move ``proposal`` to by hand (deciding is separate)."""
    targets = []
    if is_wijkraad_of(user, proposal):
        if proposal.status == Status.CONCEPT:
            targets.append(Status.SUBMITTED)
        if proposal.status in (Status.CONCEPT, *OPEN_STATUSES):
            targets.append(Status.WITHDRAWN)
    if is_city_for(user, proposal) and proposal.status == Status.SUBMITTED:
        targets.append(Status.IN_CONVERSATION)
    return targets


def can_decide(user, proposal) -> bool:
    return user.access.is_coordinator and proposal.status in OPEN_STATUSES


def can_draft_answer(user, proposal) -> bool:
    return is_city_for(user, proposal) and proposal.status in OPEN_STATUSES


def can_write(user, proposal, *, internal: bool) -> bool:
    if proposal.status == Status.CONCEPT:
        return False
    if internal:
        return is_city_for(user, proposal)
    return is_wijkraad_of(user, proposal) or is_city_for(user, proposal)


def can_set_publication(user, proposal) -> bool:
    return user.access.is_coordinator and proposal.status != Status.CONCEPT


def can_create_for(user, hub) -> bool:
    return hub.pk in user.access.hub_ids(Role.WIJKRAAD)


def can_attach(user, proposal) -> bool:
    """Adding files: the wijkraad while drafting; the wijkraad and the city while the
    proposal is open. A decided or withdrawn proposal keeps its files as they were."""
    if proposal.status == Status.CONCEPT:
        return is_wijkraad_of(user, proposal)
    if proposal.status in OPEN_STATUSES:
        return is_wijkraad_of(user, proposal) or is_city_for(user, proposal)
    return False


def can_remove_attachment(user, attachment) -> bool:
    """Removing a file: whoever added it, as long as they may still add files; a draft
    belongs to the whole wijkraad, so any of its members may tidy its files. Once
    submitted, nobody removes what the other side (or a colleague) has sent."""
    proposal = attachment.proposal
    if not can_attach(user, proposal):
        return False
    return attachment.uploaded_by_id == user.pk or proposal.status == Status.CONCEPT
