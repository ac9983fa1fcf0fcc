from celery import shared_task

from . import notifications
from .services import shifts_sync


@shared_task(ignore_result=True)
def notify(kind: str, ids: list[int]) -> None:
    notifications.send(kind, ids)


@shared_task(ignore_result=True)
def generate_shifts() -> None:
    """Keeps a shift for every open hub-dagdeel over the rolling horizon."""
    shifts_sync()


@shared_task(ignore_result=True)
def send_shift_reminders() -> None:
    notifications.shift_reminders_due()


@shared_task(ignore_result=True)
def send_understaffing_alerts() -> None:
    notifications.understaffing_alerts_due()


@shared_task(ignore_result=True)
def sync_shifts(hub_id: int | None = None) -> None:
    """Lets the shifts of one hub (or, with None, of every hub) follow a change of
    opening hours, closures or stops."""
    from hubs.models import Hub

    shifts_sync(hubs=Hub.objects.filter(pk=hub_id) if hub_id else None)
