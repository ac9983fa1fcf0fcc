from celery import shared_task

from . import notifications
from .services import proposals_bring_into_force


@shared_task(ignore_result=True)
def notify(kind: str, object_id: int) -> None:
    notifications.send(kind, object_id)


@shared_task(ignore_result=True)
def send_proposal_deadlines() -> None:
    notifications.deadlines_due()


@shared_task(ignore_result=True)
def bring_proposals_into_force() -> None:
    """A planned change is in force from its start date: mark it and tell the wijkraad."""
    proposals_bring_into_force()
