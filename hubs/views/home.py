from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from hubs.models import Hub
from hubs.opening import OpeningCalendar

from . import public


@login_not_required
def home(request):
    """Residents get the list of hubs; staff their own overview."""
    if not request.user.is_authenticated:
        return public.hub_list(request)
    now = timezone.now()
    today = timezone.localdate()
    hubs = list(Hub.objects.related_to(request.user).select_related("gebied"))
    calendar = OpeningCalendar(hubs, today, today)
    rows = [
        {
            "hub": hub,
            "today": calendar.day(hub.pk, today),
            "open_now": calendar.is_open_at(hub.pk, now),
        }
        for hub in hubs
    ]
    return render(request, "hubs/home.html", {"rows": rows, "today": today})
