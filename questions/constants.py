from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    REFERRED = "referred", _("Referred")
    CALLBACK = "callback", _("Callback request")


class ReferralKind(models.TextChoices):
    DEPARTMENT = "department", _("City department")
    PARTNER = "partner", _("Partner organisation")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a team member")
    CLAIMED = "claimed", _("Being handled")
    COMPLETED = "completed", _("Completed")
    UNREACHABLE = "unreachable", _("Unreachable")


OPEN_STATUSES = (CallbackStatus.OPEN, CallbackStatus.CLAIMED)
CLOSED_STATUSES = (CallbackStatus.COMPLETED, CallbackStatus.UNREACHABLE)


class AttemptResult(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    VOICEMAIL = "voicemail", _("Voicemail")


class CallbackEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CLAIMED = "claimed", _("Claimed")
    RELEASED = "released", _("Released")
    ATTEMPT = "attempt", _("Call attempt")
    FORWARDED = "forwarded", _("Forwarded")
    COMPLETED = "completed", _("Completed")
    UNREACHABLE = "unreachable", _("Marked unreachable")
    REOPENED = "reopened", _("Reopened")
    PURGED = "purged", _("Personal data removed")


class Language(models.TextChoices):
    """Languages residents ask for most in Rotterdam; "other" for the rest."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    TAMAZIGHT = "ber", _("Tamazight (Berber)")
    POLISH = "pl", _("Polish")
    BULGARIAN = "bg", _("Bulgarian")
    ROMANIAN = "ro", _("Romanian")
    PAPIAMENTU = "pap", _("Papiamentu")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese (Cape Verdean)")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Ukrainian")
    OTHER = "other", _("Other language")


class QuestionNotification(models.TextChoices):
    TEAM_DIGEST = "team_digest", _("Daily team digest")
    ESCALATION = "callback_escalation", _("Overdue callback escalated")
    HOST_NOTICE = "callback_closed", _("Callback completed or unreachable")


# The starting taxonomy (MISSION.md); coordinators edit it in the portal.
STARTING_TOPICS = {
    "Wonen": ["Huur en huurtoeslag", "Onderhoud en klachten", "Woningzoeken", "Overlast buren"],
    "Werk en inkomen": ["Uitkering", "Werk zoeken", "Inkomensondersteuning"],
    "Geldzaken en schulden": ["Schulden", "Betalingsregeling", "Budgetcoaching"],
    "Zorg en welzijn": ["Wmo en hulpmiddelen", "Mantelzorg", "Eenzaamheid"],
    "Belastingen en heffingen": ["Gemeentelijke belastingen", "Kwijtschelding", "WOZ"],
    "Afval en buitenruimte": ["Grofvuil", "Containers", "Groen en straat"],
    "Parkeren en verkeer": ["Parkeervergunning", "Boetes", "Verkeersveiligheid"],
    "Burgerzaken en documenten": ["Paspoort en ID", "Verhuizing doorgeven", "Uittreksel"],
    "Veiligheid en overlast": ["Overlast", "Veiligheid in de wijk"],
    "Wijk en meedoen": ["Bewonersinitiatief", "Wijkraad", "Activiteiten"],
    "Onderwijs en jeugd": ["School en leerplicht", "Kinderopvang", "Jongeren"],
    "Brieven en digitale hulp": ["Brief uitleggen", "DigiD", "Formulier invullen"],
    "Overig": [],
}
