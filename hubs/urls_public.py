from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.hub_list, name="hub_list"),
    path("openingstijden.json", public.opening_json, name="opening_json"),
    path("<slug:slug>/", public.hub_detail, name="hub_detail"),
    path("<slug:slug>/openingstijden.ics", public.hub_ical, name="hub_ical"),
]
