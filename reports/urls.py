from django.urls import path

from . import views, views_week

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("deze-week/", views_week.week_summary, name="week"),
    path("stad/", views.city, name="city"),
    path("stad/export/<slug:table>.<str:fmt>", views.city_export, name="city_export"),
    path("gebied/<slug:slug>/", views.gebied, name="gebied"),
    path(
        "gebied/<slug:slug>/export/<slug:table>.<str:fmt>",
        views.gebied_export,
        name="gebied_export",
    ),
    path("hub/<slug:slug>/", views.hub, name="hub"),
    path("hub/<slug:slug>/export/<slug:table>.<str:fmt>", views.hub_export, name="hub_export"),
]
