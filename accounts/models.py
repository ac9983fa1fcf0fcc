from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import HUB_ROLES, Role

# A list in a fixed order (a frozenset's order changes per run, and with it the migration).
HUB_ROLE_VALUES = [Role.HOST.value, Role.WIJKRAAD.value, Role.WIJKMANAGER.value]
assert set(HUB_ROLE_VALUES) == HUB_ROLES


class Cluster(models.Model):
    """A city department (e.g. Stadsbeheer) whose employees work in the hubs."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A member of staff. Logs in with e-mail; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("The department this person works for."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def access(self):
        """What this user may see and do; computed once per request (see permissions.py)."""
        from .permissions import Access

        if not hasattr(self, "_access"):
            self._access = Access(self)
        return self._access


class RoleAssignmentQuerySet(models.QuerySet):
    def of_role(self, role: str):
        return self.filter(role=role)


class RoleAssignment(models.Model):
    """A role a user holds, at one hub for the hub roles (host, wijkmanager, wijkraad)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "hub"], name="unique_role_per_hub"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(hub__isnull=True),
                name="unique_citywide_role",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=HUB_ROLE_VALUES) & Q(hub__isnull=False))
                | (~Q(role__in=HUB_ROLE_VALUES) & Q(hub__isnull=True)),
                name="hub_roles_need_a_hub",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label} – {self.hub}" if self.hub_id else str(label)
