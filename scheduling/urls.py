from django.urls import path

from .views import manage, staff

app_name = "scheduling"

urlpatterns = [
    # For everyone who works in the hubs (views/staff.py)
    path("", staff.week, name="week"),
    path("dagdeel/<int:pk>/aanmelden/", staff.signup, name="signup"),
    path("dagdeel/<int:pk>/wachtlijst/", staff.waitlist, name="waitlist"),
    path("aanmelding/<int:pk>/annuleren/", staff.cancel, name="cancel"),
    path("mijn-dagdelen/", staff.mine, name="mine"),
    path("overdrachten/", staff.handovers, name="handovers"),
    path("overdrachten/<int:pk>/overnemen/", staff.handover_take, name="handover_take"),
    path("overdrachten/<int:pk>/intrekken/", staff.handover_withdraw, name="handover_withdraw"),
    path("agenda/<str:token>.ics", staff.calendar_feed, name="feed"),
    path("agenda/nieuw-adres/", staff.calendar_feed_reset, name="feed_reset"),
    # For wijkmanagers, coordinators and hosts (views/manage.py)
    path("dekking/", manage.coverage, name="coverage"),
    path("dekking.csv", manage.coverage_csv, name="coverage_csv"),
    path("dagdeel/<int:pk>/", manage.shift_detail, name="shift_detail"),
    path("dagdeel/<int:pk>/bezetting/", manage.shift_staffing, name="shift_staffing"),
    path("dagdeel/<int:pk>/aanwezigheid/", manage.attendance, name="attendance"),
    path("aanbod/", manage.offers, name="offers"),
    path("aanbod/<int:pk>/verwijderen/", manage.offer_delete, name="offer_delete"),
    path("clusters/", manage.cluster_report, name="cluster_report"),
    path("genereren/", manage.generate, name="generate"),
]
