from django.urls import path

from .views import manage

app_name = "manage"

urlpatterns = [
    path("", manage.index, name="index"),
    path("wijkhubs/", manage.hub_list, name="hub_list"),
    path("wijkhubs/nieuw/", manage.hub_create, name="hub_create"),
    path("wijkhubs/<slug:slug>/", manage.hub_edit, name="hub_edit"),
    path("wijkhubs/<slug:slug>/openingstijden/", manage.schedule_list, name="schedule_list"),
    path(
        "wijkhubs/<slug:slug>/openingstijden/nieuw/", manage.schedule_create, name="schedule_create"
    ),
    path(
        "wijkhubs/<slug:slug>/openingstijden/<int:pk>/", manage.schedule_edit, name="schedule_edit"
    ),
    path(
        "wijkhubs/<slug:slug>/openingstijden/<int:pk>/verwijderen/",
        manage.schedule_delete,
        name="schedule_delete",
    ),
    path("wijkhubs/<slug:slug>/sluitingen/", manage.closure_list, name="closure_list"),
    path("wijkhubs/<slug:slug>/sluitingen/<int:pk>/", manage.closure_edit, name="closure_edit"),
    path(
        "wijkhubs/<slug:slug>/sluitingen/<int:pk>/verwijderen/",
        manage.closure_delete,
        name="closure_delete",
    ),
    path("wijkhubs/<slug:slug>/haltes/", manage.stop_list, name="stop_list"),
    path(
        "wijkhubs/<slug:slug>/haltes/<int:pk>/verwijderen/", manage.stop_delete, name="stop_delete"
    ),
    path("sluitingsdagen/", manage.closing_days, name="closing_days"),
    path("sluitingsdagen/<int:pk>/", manage.closing_day_edit, name="closing_day_edit"),
    path("stadsbrede-sluitingen/", manage.citywide_closures, name="citywide_closures"),
    path("norm/", manage.norm_report, name="norm"),
]
