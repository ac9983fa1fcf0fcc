from celery import shared_task

from .models import User
from .services import invitation_send


@shared_task(ignore_result=True)
def send_invitation(user_id: int) -> None:
    """Mails the invitation to set a password; skips accounts deleted or deactivated since."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        invitation_send(user=user)
