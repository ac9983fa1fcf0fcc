"""Account workflows: creating staff accounts, changing their roles, inviting them.

Accounts are never created by sign-up (see adapters.py): a coordinator creates
them here, one by one or from a CSV file, and the new colleague receives an
invitation to choose a password.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Mapping

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditKind
from audit.services import record, record_many

from .constants import HUB_ROLES, Role
from .emails import send_templated_email
from .models import Cluster, RoleAssignment, User

logger = logging.getLogger(__name__)

# {role: hubs} — hubs as Hub instances or primary keys; empty for city-wide roles.
Roles = Mapping[str, Iterable]


def _assignments(roles: Roles) -> list[tuple[str, int | None]]:
    """Turns ``{role: hubs}`` into (role, hub_id) pairs, enforcing the hub rules.

    The same rule is a check constraint on RoleAssignment; checking it here gives
    a readable message instead of an IntegrityError.
    """
    pairs: list[tuple[str, int | None]] = []
    if not roles:
        raise ValidationError(_("Give the user at least one role."), code="no_roles")
    for role, hubs in roles.items():
        if role not in Role.values:
            raise ValidationError(
                _("Unknown role: %(role)s."), code="unknown_role", params={"role": role}
            )
        hub_ids = sorted({getattr(hub, "pk", hub) for hub in hubs or ()})
        label = Role(role).label
        if role in HUB_ROLES:
            if not hub_ids:
                raise ValidationError(
                    _("The role %(role)s needs at least one hub."),
                    code="hub_required",
                    params={"role": label},
                )
            pairs.extend((role, hub_id) for hub_id in hub_ids)
        else:
            if hub_ids:
                raise ValidationError(
                    _("The role %(role)s applies to all hubs; do not choose hubs for it."),
                    code="hub_not_allowed",
                    params={"role": label},
                )
            pairs.append((role, None))
    return pairs


def _send_invitation_after_commit(user: User) -> None:
    from .tasks import send_invitation

    user_id = user.pk
    transaction.on_commit(lambda: send_invitation.delay(user_id))


def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    cluster: Cluster | None,
    roles: Roles,
    created_by: User | None,
) -> User:
    """Creates an account without a usable password and invites its owner.

    The invitation e-mail is sent after the transaction commits, so a rolled
    back import never mails anyone.
    """
    [user] = users_create(
        rows=[
            {
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "cluster": cluster,
                "roles": roles,
            }
        ],
        created_by=created_by,
    )
    return user


@transaction.atomic
def users_create(*, rows: Iterable[Mapping], created_by: User | None) -> list[User]:
    """Creates every row (the keyword arguments of :func:`user_create`) or none.

    One statement per table rather than per user: a CSV import of 2,000 people
    must finish within a web request.
    """
    rows = list(rows)
    emails = [User.objects.normalize_email(row["email"]).strip().lower() for row in rows]
    taken = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    taken |= {email for email, count in Counter(emails).items() if count > 1}
    if taken:
        raise ValidationError(
            _("A user with the e-mail address %(email)s already exists."),
            code="duplicate_email",
            params={"email": ", ".join(sorted(taken))},
        )
    pairs = [_assignments(row["roles"]) for row in rows]
    users = []
    for row, email in zip(rows, emails, strict=True):
        user = User(
            email=email,
            first_name=row["first_name"].strip(),
            last_name=row["last_name"].strip(),
            cluster=row["cluster"],
        )
        user.set_unusable_password()  # until the invitation is accepted
        users.append(user)
    User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, hub_id=hub_id)
        for user, user_pairs in zip(users, pairs, strict=True)
        for role, hub_id in user_pairs
    )
    record_many(
        AuditKind.ROLE_GRANTED,
        (
            (user.email, {"role": str(role), "hub": hub_id})
            for user, user_pairs in zip(users, pairs, strict=True)
            for role, hub_id in user_pairs
        ),
    )
    # The coordinator vouches for the (city) address and only its owner can
    # accept the invitation, so allauth may treat it as verified.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    for user in users:
        _send_invitation_after_commit(user)
    logger.info(
        "%d user(s) created by %s: %s",
        len(users),
        getattr(created_by, "pk", None),
        [user.pk for user in users],
    )
    return users


def _audit_roles(kind: str, user: User, pairs) -> None:
    for role, hub_id in sorted(pairs, key=lambda p: (str(p[0]), p[1] or 0)):
        record(kind, subject=user.email, role=str(role), hub=hub_id)


@transaction.atomic
def user_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    cluster: Cluster | None,
    is_active: bool,
    roles: Roles,
    updated_by: User,
) -> User:
    """Changes name, cluster, active flag and replaces the role assignments."""
    pairs = _assignments(roles)
    if user.pk == updated_by.pk:
        # Otherwise the last coordinator could lock everyone out of this page.
        if not is_active:
            raise ValidationError(
                _("You cannot deactivate your own account."), code="self_deactivate"
            )
        if Role.COORDINATOR not in roles:
            raise ValidationError(
                _("You cannot remove your own coordinator role."), code="self_demote"
            )
    user = User.objects.select_for_update().get(pk=user.pk)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.cluster = cluster
    user.is_active = is_active
    user.save(update_fields=["first_name", "last_name", "cluster", "is_active"])
    old = set(user.role_assignments.values_list("role", "hub_id"))
    new = {(str(role), hub_id) for role, hub_id in pairs}
    for role, hub_id in old - new:
        user.role_assignments.filter(role=role, hub_id=hub_id).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, hub_id=hub_id) for role, hub_id in new - old
    )
    _audit_roles(AuditKind.ROLE_REVOKED, user, old - new)
    _audit_roles(AuditKind.ROLE_GRANTED, user, new - old)
    logger.info("User %s updated by %s", user.pk, updated_by.pk)
    return user


def user_invite(*, user: User, invited_by: User) -> None:
    """Sends the invitation (again); a new link, the old one stays valid until it expires."""
    if not user.is_active:
        raise ValidationError(
            _("%(user)s is deactivated; activate the account before inviting."),
            code="inactive",
            params={"user": user},
        )
    logger.info("Invitation for user %s re-sent by %s", user.pk, invited_by.pk)
    _send_invitation_after_commit(user)


def invitation_url(user: User) -> str:
    """The absolute link at which ``user`` chooses a password.

    It is allauth's password-reset-from-key page; the token expires after
    settings.PASSWORD_RESET_TIMEOUT (INVITATION_VALID_DAYS) and as soon as the
    password is set, because the token hashes the password.
    """
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def invitation_send(*, user: User) -> None:
    """Mails the invitation now (called by the Celery task)."""
    valid_days = settings.INVITATION_VALID_DAYS
    send_templated_email(
        "invitation",
        user.email,
        {
            "user": user,
            "invitation_url": invitation_url(user),
            "valid_days": valid_days,
            "valid_until": timezone.localtime() + dt.timedelta(days=valid_days),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "roles": list(user.role_assignments.select_related("hub").order_by("role")),
        },
    )
