import os

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from hubs.views import home

admin.site.site_header = "Wijkhubs – back office"

urlpatterns = [
    path("", home.home, name="home"),
    path("wijkhubs/", include("hubs.urls_public")),
    path("rooster/", include("scheduling.urls")),
    path("voorstellen/", include("proposals.urls")),
    path("rapportage/", include("reports.urls")),
    path("", include("questions.urls")),
    path("beheer/", include("hubs.urls_manage")),
    path("beheer/gebruikers/", include("accounts.urls")),
    path("beheer/audit/", include("audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The benchmark's trivial view (bench/ceiling.py): only in the server bench/run.py starts,
# never in a normal run.
if os.environ.get("BENCH_CEILING", "").lower() == "true":
    from bench.ceiling import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling, name="bench_ceiling"))
