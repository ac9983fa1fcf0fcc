"""Report pages for wijkmanagers and coordinators (/rapportage/...).

A report is one scope (a hub, a gebied or the whole city) over a period of whole
weeks. The page and its CSV/XLSX exports are drawn from the same ``Report``
(``reports.report.build_report``), so what is downloaded is what was shown.

Who may see which scope is asked of ``request.user.access`` through the helpers
below: an unknown slug is a 404, a scope that is not yours a 403 with a message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hubs.models import Gebied, Hub

from . import exports, rollup
from .models import WeeklyFigure
from .period import Period, PeriodForm, default_period
from .report import Report, Scope, build_report
from .templatetags.report_tags import format_figure

# What a report shows when no period was chosen (``default_period``: 13 weeks).
DEFAULT_PRESET = "13"
EXPORT_FORMATS = ("csv", "xlsx")
ALL_TABLES = "alles"  # the export of every table, one sheet each (Excel only)


class Refused(Exception):
    """The user may not see this scope; the message says why (shown with a 403)."""


# --- access ------------------------------------------------------------------------------------


def _require_reports(request) -> None:
    if not request.user.access.can_view_reports():
        raise Refused(
            _(
                "Reports are for wijkmanagers and coordinators. Under “My hub this week” "
                "you find the figures of your own hub."
            )
        )


def _city_scope(request, _slug=None) -> Scope:
    _require_reports(request)
    if not request.user.access.can_view_report_for(None):
        raise Refused(
            _(
                "The report of the whole city is for coordinators. The reports of your "
                "hubs compare them with the city average."
            )
        )
    return Scope("city", _("Whole city"), None)


def _gebied_scope(request, slug: str) -> Scope:
    """404 for an unknown gebied, 403 unless the user may see every hub in it."""
    _require_reports(request)
    gebied = get_object_or_404(Gebied, slug=slug)
    hub_ids = list(Hub.objects.filter(gebied=gebied).values_list("pk", flat=True))
    if not request.user.access.can_view_report_for(hub_ids):
        raise Refused(
            _(
                "You can see the report of a gebied when you are wijkmanager of every hub "
                "in it. The reports of your own hubs are on the reports page."
            )
        )
    return Scope("gebied", gebied.name, hub_ids, gebied)


def _hub_scope(request, slug: str) -> Scope:
    """404 for an unknown hub, 403 unless the user manages it (or is a coordinator)."""
    _require_reports(request)
    hub = get_object_or_404(Hub.objects.select_related("gebied"), slug=slug)
    if not request.user.access.can_view_report_for([hub.pk]):
        raise Refused(
            _(
                "You can only see the reports of the hubs you are wijkmanager of. "
                "The reports of your own hubs are on the reports page."
            )
        )
    return Scope("hub", hub.name, [hub.pk], hub)


SCOPES = {
    "city": (_city_scope, "reports:city", "reports:city_export"),
    "gebied": (_gebied_scope, "reports:gebied", "reports:gebied_export"),
    "hub": (_hub_scope, "reports:hub", "reports:hub_export"),
}


def _refused(request, refusal: Refused) -> HttpResponse:
    return render(request, "reports/refused.html", {"message": str(refusal)}, status=403)


# --- the period and the report -----------------------------------------------------------------


def _period_form(request, today: dt.date) -> PeriodForm:
    """The form of ``?periode=`` / ``?van=&tot=``; without either, the default preset."""
    if any(name in request.GET for name in ("periode", "van", "tot")):
        return PeriodForm(request.GET, today=today)
    return PeriodForm({"periode": DEFAULT_PRESET}, today=today)


def _next_period(period: Period, today: dt.date) -> Period | None:
    """The same number of weeks after ``period``, unless that would pass this week."""
    following = Period(
        period.last + dt.timedelta(days=1), period.last + dt.timedelta(weeks=period.weeks)
    )
    if rollup.monday(following.last) > rollup.monday(today):
        return None
    return following


def scope_slug(scope: Scope) -> str:
    return "stad" if scope.is_city else scope.obj.slug


def report_for(scope: Scope, period: Period, today: dt.date) -> Report:
    """The report as the page and the exports show it. For the city the headline's
    "city average" column would repeat the figures next to it, so it is left out."""
    report = build_report(scope, period, today=today)
    if scope.is_city:
        headline = report.headline
        keep = [i for i, c in enumerate(headline.columns) if c.label != _("City average")]
        report.headline = dataclasses.replace(
            headline,
            columns=[headline.columns[i] for i in keep],
            rows=[[row[i] for i in keep] for row in headline.rows],
        )
    return report


# --- pages ---------------------------------------------------------------------------------------


@require_safe
def index(request):
    """Pick a report: the city, gebieden and hubs this user may see."""
    access = request.user.access
    if not access.can_view_reports():
        if access.can_view_week_summary():
            return redirect("reports:week")
        return _refused(request, Refused(_("Reports are for wijkmanagers and coordinators.")))
    today = timezone.localdate()
    period = default_period(today)
    hubs = list(Hub.objects.select_related("gebied").order_by("gebied__name", "name"))
    questions = dict(
        WeeklyFigure.objects.filter(metric="q", key=0, week__range=(period.first, period.last))
        .values("hub_id")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("hub_id", "total")
    )
    # Rows prepared here, URLs and figures included: the page lists every hub, and a
    # {% url %} and filter per hub was most of its time.
    hub_url = _slug_url("reports:hub")
    gebied_url = _slug_url("reports:gebied")
    by_gebied: dict[int, dict] = {}
    for hub in hubs:
        entry = by_gebied.setdefault(
            hub.gebied_id,
            {"gebied": hub.gebied, "hubs": [], "all_hubs": [], "questions": 0},
        )
        entry["all_hubs"].append(hub.pk)
        entry["questions"] += questions.get(hub.pk, 0)
        if access.can_view_report_for([hub.pk]):
            entry["hubs"].append(
                {
                    "name": hub.name,
                    "url": hub_url(hub.slug),
                    "questions": format_figure(questions.get(hub.pk, 0), "int"),
                    "is_active": hub.is_active,
                }
            )
    gebieden = [
        {
            "name": entry["gebied"].name,
            "slug": entry["gebied"].slug,
            "url": gebied_url(entry["gebied"].slug),
            "questions": format_figure(entry["questions"], "int"),
            "hubs": entry["hubs"],
            "visible": access.can_view_report_for(entry["all_hubs"]),
        }
        for entry in by_gebied.values()
        if entry["hubs"]
    ]
    context = {
        "period": period,
        "show_city": access.can_view_report_for(None),
        "city_questions": questions.get(None, 0),
        "gebieden": gebieden,
        "updated_at": rollup.last_refreshed(),
    }
    return render(request, "reports/index.html", context)


def _slug_url(name: str):
    """``slug -> URL`` of a page with one slug argument, reversed once."""
    stand_in = "slug-stand-in"
    pattern = reverse(name, args=[stand_in])
    return lambda slug: pattern.replace(stand_in, slug)


def _report_page(request, kind: str, slug: str | None = None):
    get_scope, page_url, export_url = SCOPES[kind]
    try:
        scope = get_scope(request, slug)
    except Refused as refusal:
        return _refused(request, refusal)
    today = timezone.localdate()
    form = _period_form(request, today)
    args = [] if scope.is_city else [slug]
    context = {
        "scope": scope,
        "form": form,
        "page_url": reverse(page_url, args=args),
        "export_url": export_url,
        "export_args": args,
        "updated_at": rollup.last_refreshed(),
    }
    period = form.period
    if period is None:
        # The form with its message and the values as typed; no report.
        return render(request, "reports/report.html", context, status=400)
    following = _next_period(period, today)
    context.update({"period": period, "previous": period.previous(), "next": following})
    context["report_body"] = _report_body(request, scope, period, today, context)
    return render(request, "reports/report.html", context)


def _report_body(request, scope, period, today, context) -> str:
    """The rendered report. Its figures change only when the rollups are refreshed
    (every 15 minutes), so it is kept in the cache under the time of the last refresh
    for REPORT_CACHE_SECONDS; callbacks and proposals may lag by as much."""
    updated = context["updated_at"]
    hubs = "city" if scope.is_city else ",".join(map(str, sorted(scope.hub_ids)))
    key = ":".join(
        [
            "report-body",
            translation.get_language() or "",
            scope.kind,
            hubs,
            period.slug(),
            str(today),
            str(updated.timestamp() if updated else 0),
        ]
    )
    seconds = settings.REPORT_CACHE_SECONDS
    body = cache.get(key) if seconds else None
    if body is None:
        body = render_to_string(
            "reports/_report_body.html",
            {**context, "report": report_for(scope, period, today)},
            request=request,
        )
        if seconds:
            cache.set(key, body, seconds)
    return mark_safe(body)  # noqa: S308 - our own template's output


@require_safe
def city(request):
    return _report_page(request, "city")


@require_safe
def gebied(request, slug: str):
    return _report_page(request, "gebied", slug)


@require_safe
def hub(request, slug: str):
    return _report_page(request, "hub", slug)


# --- exports -------------------------------------------------------------------------------------


def _export(request, kind: str, table: str, fmt: str, slug: str | None = None):
    if fmt not in EXPORT_FORMATS or (table == ALL_TABLES and fmt != "xlsx"):
        raise Http404
    get_scope, _page_url, _export_url = SCOPES[kind]
    try:
        scope = get_scope(request, slug)
    except Refused as refusal:
        return _refused(request, refusal)
    today = timezone.localdate()
    form = _period_form(request, today)
    period = form.period
    if period is None:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    report = report_for(scope, period, today)
    tables = report.tables if table == ALL_TABLES else [report.table(table)]
    if tables == [None]:
        raise Http404
    exports.log_export(request, scope, table, fmt)
    filename = exports.filename(scope_slug(scope), table, period, fmt)
    if fmt == "csv":
        return exports.csv_response(tables[0], filename)
    title = _("%(scope)s, %(period)s") % {"scope": scope.name, "period": period.label()}
    return exports.xlsx_response(tables, filename, title=title)


@require_safe
def city_export(request, table: str, fmt: str):
    return _export(request, "city", table, fmt)


@require_safe
def gebied_export(request, slug: str, table: str, fmt: str):
    return _export(request, "gebied", table, fmt, slug)


@require_safe
def hub_export(request, slug: str, table: str, fmt: str):
    return _export(request, "hub", table, fmt, slug)
