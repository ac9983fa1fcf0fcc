from collections import defaultdict

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hubs.models import Hub
from hubs.opening import OpeningCalendar
from scheduling.models import Shift

from . import public


@login_not_required
@require_safe
def home(request):
    """Residents get the list of hubs; staff their own overview."""
    if not request.user.is_authenticated:
        return public.hub_list(request)
    now = timezone.now()
    today = timezone.localdate()
    # The hub of each role in the same query, not one query per role shown.
    role_assignments = list(
        request.user.role_assignments.select_related("hub").order_by("role", "hub__name")
    )
    hubs = list(Hub.objects.related_to(request.user).select_related("gebied"))
    calendar = OpeningCalendar(hubs, today, today)
    # Today's dagdelen of the hubs where this user records attendance (hosts and
    # wijkmanagers): the way to the page where they mark who came.
    access = request.user.access
    shifts_by_hub = defaultdict(list)
    attendance_hubs = [hub for hub in hubs if access.can_mark_attendance(hub)]
    for shift in Shift.objects.active().filter(hub__in=attendance_hubs, date=today):
        shifts_by_hub[shift.hub_id].append(shift)
    rows = [
        {
            "hub": hub,
            "today": calendar.day(hub.pk, today),
            "open_now": calendar.is_open_at(hub.pk, now),
            "shifts": sorted(shifts_by_hub[hub.pk], key=lambda s: s.starts_at),
        }
        for hub in hubs
    ]
    context = {"rows": rows, "today": today, "role_assignments": role_assignments}
    return render(request, "hubs/home.html", context)
