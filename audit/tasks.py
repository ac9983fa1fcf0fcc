import datetime as dt

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from questions.models import PersonalDataAccess

from . import services


@shared_task
def purge_expired() -> dict:
    """Nightly: audit events and views of personal data past AUDIT_RETENTION_DAYS,
    and sessions past their expiry."""
    now = timezone.now()
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    views, _ = PersonalDataAccess.objects.filter(at__lt=cutoff).delete()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    return {"audit": services.purge_expired(now), "access_log": views, "sessions": sessions}
