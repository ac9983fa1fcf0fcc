"""The security audit log: append-only, readable by coordinators, kept for
``AUDIT_RETENTION_DAYS`` (``audit.services.purge_expired``).

Rows are never changed: ``save`` refuses an update, ``delete`` and queryset
updates are refused, and on PostgreSQL a trigger (migration 0002) rejects UPDATE
and any DELETE of a row younger than 30 days. The actor is stored as a plain id
and e-mail, not a foreign key, so that removing a user cannot rewrite history.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password", _("Password changed or reset")
    MFA_ADDED = "mfa_added", _("Two-step verification switched on")
    MFA_REMOVED = "mfa_removed", _("Two-step verification switched off")
    MFA_RESET = "mfa_reset", _("Recovery codes renewed")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role taken away")
    ACCOUNT_CHANGED = "account", _("Account activated or deactivated")
    PERSONAL_DATA_VIEWED = "pd_viewed", _("Resident's personal data viewed")
    EXPORT = "export", _("Data exported")
    PURGE = "purge", _("Data removed by the retention schedule")
    DATA_REQUEST = "avg_request", _("Resident's data looked up or handed over (AVG)")
    ERASURE = "avg_erasure", _("Resident's data erased on request (AVG)")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only; use audit.services.purge_expired.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=20, choices=AuditKind.choices)
    actor_id = models.PositiveIntegerField(_("user id"), null=True, blank=True)
    actor = models.CharField(_("user"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    subject = models.CharField(
        _("about"),
        max_length=200,
        blank=True,
        help_text=_("What the event concerns: a reference, an account, an export."),
    )
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_recent"),
            models.Index(fields=["kind", "-at"], name="audit_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor} {self.subject}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
