from celery import shared_task

from . import notifications
from .services import callbacks_purge


@shared_task(ignore_result=True)
def notify_callback_closed(callback_id: int) -> None:
    notifications.callback_closed(callback_id)


@shared_task(ignore_result=True)
def send_team_digests() -> None:
    notifications.team_digests_due()


@shared_task(ignore_result=True)
def send_callback_escalations() -> None:
    notifications.escalations_due()


@shared_task(ignore_result=True)
def purge_callbacks() -> None:
    """Removes residents' personal data CALLBACK_RETENTION_DAYS after a callback closed."""
    callbacks_purge()
