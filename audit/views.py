from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wijkhubs.paging import seek

from . import avg
from .forms import AuditFilterForm, DataRequestForm, EraseForm
from .models import AuditEvent


@require_safe
def audit_log(request):
    """The security audit log, newest first, for coordinators."""
    if not request.user.access.can_view_audit_log():
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    rows, next_cursor = seek(
        form.filter(AuditEvent.objects.all()),
        key="at",
        cursor=request.GET.get("after"),
        descending=True,
    )
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "paged": bool(request.GET.get("after")),
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/log.html", context)


def _require_data_requests(request):
    if not request.user.access.can_handle_data_requests():
        raise PermissionDenied


@require_safe
def data_request(request):
    """Find what the portal holds about a resident (AVG art. 15)."""
    _require_data_requests(request)
    form = DataRequestForm(request.GET or None)
    callbacks = None
    if form.is_bound and form.is_valid():
        kind, value = form.cleaned_data["q"]
        callbacks = list(avg.find(kind, value))
        avg.log_lookup(request, kind, callbacks, form.cleaned_data["request_ref"], "viewed")
    context = {
        "form": form,
        "callbacks": callbacks,
        "erase_form": EraseForm(initial=request.GET.dict()) if callbacks else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "audit/data_request.html", context)


@require_safe
def data_export(request):
    """Everything found, as a JSON file for the resident (AVG art. 15 and 20)."""
    _require_data_requests(request)
    form = DataRequestForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Search again: the request was not complete."))
        return redirect("audit:data_request")
    kind, value = form.cleaned_data["q"]
    callbacks = list(avg.find(kind, value))
    avg.log_lookup(request, kind, callbacks, form.cleaned_data["request_ref"], "exported")
    response = JsonResponse(
        avg.as_export(callbacks), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="avg-gegevens-{stamp}.json"'
    return response


def _back_to_search(request) -> str:
    """The search page for the same request (never the CSRF token in an address)."""
    query = {name: request.POST.get(name, "") for name in ("q", "request_ref")}
    return f"{reverse('audit:data_request')}?{urlencode(query)}"


@require_POST
def data_erase(request):
    """Erase the resident's data now (AVG art. 17)."""
    _require_data_requests(request)
    form = EraseForm(request.POST)
    if not form.is_valid():
        if "confirm" in form.errors:
            messages.error(request, _("Tick the box to confirm, then erase."))
        else:
            messages.error(request, _("Search again: the request was not complete."))
        return redirect(_back_to_search(request))
    kind, value = form.cleaned_data["q"]
    erased = avg.erase(request, list(avg.find(kind, value)), form.cleaned_data["request_ref"])
    if erased:
        messages.success(
            request,
            _("Personal data erased from %(count)s callback request(s): %(refs)s.")
            % {"count": len(erased), "refs": ", ".join(erased)},
        )
    else:
        messages.info(request, _("There was nothing left to erase."))
    return redirect(_back_to_search(request))
