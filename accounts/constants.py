from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOST = "host", _("Host (wijkhubbeheerder)")
    MEDEWERKER = "medewerker", _("Civil servant (medewerker)")
    KCC = "kcc", _("KCC employee (14010)")
    WIJKMANAGER = "wijkmanager", _("Wijkmanager")
    WIJKRAAD = "wijkraad", _("Wijkraad member")
    COORDINATOR = "coordinator", _("Coordinator (manager wijkhubs)")


# Roles that are held *at* particular hubs; the others are city-wide.
HUB_ROLES = frozenset({Role.HOST, Role.WIJKMANAGER, Role.WIJKRAAD})
# Roles that must use two-factor authentication (settings.MFA_REQUIRED_FOR_MANAGERS).
MFA_ROLES = frozenset({Role.COORDINATOR, Role.WIJKMANAGER})
