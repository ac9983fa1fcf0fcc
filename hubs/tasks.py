from celery import shared_task
from django.utils import timezone

from .services import closing_days_refresh


@shared_task(ignore_result=True)
def refresh_closing_days() -> None:
    """Keeps this year's and next year's public holidays on the closing-day list."""
    year = timezone.localdate().year
    closing_days_refresh(years=[year, year + 1])
