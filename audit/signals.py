"""Security events recorded without the views having to remember it.

Role changes are recorded by accounts.services (which knows what changed), exports,
purges and AVG requests where they happen.
"""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from questions.models import PersonalDataAccess

from .models import AuditKind
from .services import record


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(AuditKind.LOGIN, request=request, user=user, subject=user.email)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditKind.LOGOUT, request=request, user=user, subject=user.email)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    tried = credentials.get("email") or credentials.get("username") or ""
    record(AuditKind.LOGIN_FAILED, request=request, user=None, subject=str(tried)[:200])


@receiver(password_changed)
@receiver(password_reset)
@receiver(password_set)
def password(sender, request, user, **kwargs):
    record(AuditKind.PASSWORD_CHANGED, request=request, user=user, subject=user.email)


def _authenticator(kind):
    def receiver_(sender, request, user, authenticator=None, **kwargs):
        record(
            kind,
            request=request,
            user=user,
            subject=user.email,
            type=getattr(authenticator, "type", ""),
        )

    return receiver_


on_mfa_added = _authenticator(AuditKind.MFA_ADDED)
on_mfa_removed = _authenticator(AuditKind.MFA_REMOVED)
on_mfa_reset = _authenticator(AuditKind.MFA_RESET)
authenticator_added.connect(on_mfa_added, dispatch_uid="audit_mfa_added")
authenticator_removed.connect(on_mfa_removed, dispatch_uid="audit_mfa_removed")
authenticator_reset.connect(on_mfa_reset, dispatch_uid="audit_mfa_reset")


@receiver(pre_save, sender=User)
def account_changed(sender, instance, **kwargs):
    if instance.pk is None:
        return
    was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    if was_active is not None and was_active != instance.is_active:
        record(AuditKind.ACCOUNT_CHANGED, subject=instance.email, active=instance.is_active)


@receiver(post_save, sender=PersonalDataAccess)
def personal_data_viewed(sender, instance, created, **kwargs):
    if created:
        record(
            AuditKind.PERSONAL_DATA_VIEWED,
            user=instance.user,
            subject=instance.callback.reference,
            page=instance.purpose,
        )
