"""Drafting and reading wijkraad proposals (/voorstellen/): the list, the drafting form
with its preview, and the detail page. The workflow actions (submit, talk, decide) are
in ``workflow.py``; their part of the detail page is ``proposals/_workflow.html``.

Who may do what is asked of ``proposals.rules``; all writes go through
``proposals.services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.constants import Role
from hubs.models import Hub

from .. import rules, selectors, services
from ..constants import Decision, SlotKind, Status
from ..forms import ProposalFilterForm, ProposalForm
from ..services import ProposalError
from .attachments import attachments_context
from .workflow import workflow_context

PAGE_SIZE = 50


def _status_explanations() -> dict[str, str]:
    return {
        Status.CONCEPT: _(
            "A draft: only the wijkraad sees it. Submit it when the wijkraad agrees; "
            "then the city answers within four weeks."
        ),
        Status.SUBMITTED: _("The city has received the proposal and answers it by the date below."),
        Status.IN_CONVERSATION: _(
            "The wijkraad and the city are discussing the proposal; the city answers "
            "it by the date below."
        ),
        Status.DECIDED: _("The city has decided; its answer is below."),
        Status.PLANNED: _(
            "The city accepted the proposal: the new opening hours start on the date below."
        ),
        Status.IN_FORCE: _("The new opening hours of this proposal are in force."),
        Status.WITHDRAWN: _("The wijkraad withdrew this proposal."),
    }


# --- access ----------------------------------------------------------------------------------


def _visible_proposal(request, pk: int):
    """The proposal with everything its page shows; 404 if it does not exist or the
    user may not see it (a draft or another wijk's proposal is not even confirmed)."""
    proposal = selectors.proposal_for_detail(pk)
    if proposal is None or not rules.can_view(request.user, proposal):
        raise Http404
    return proposal


def _hub_for_drafting(request, slug: str) -> Hub:
    hub = get_object_or_404(Hub, slug=slug)
    if not rules.can_create_for(request.user, hub):
        raise PermissionDenied
    return hub


# --- list ------------------------------------------------------------------------------------


def _day(value) -> str:
    """A date (or an aware datetime, on its day in Amsterdam) as 31-12-2026; "" if None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d-%m-%Y")


# A proposal id no real one has: stands in for the id in the detail URL (see below).
_ANY_PK = 987654321


def _list_rows(proposals, today: dt.date) -> list[dict]:
    """What each row of the list shows, as plain strings. Worked out here rather than
    in the template: on a page of 50 rows, template lookups and filters per cell are
    most of the page's time."""
    statuses = {value: str(label) for value, label in Status.choices}
    decisions = {value: str(label) for value, label in Decision.choices}
    # One reverse() for the page rather than one per row (each costs as much as the
    # rest of the row): the detail URL of any proposal, its id filled in per row.
    url = reverse("proposals:detail", args=[_ANY_PK])
    return [
        {
            "hub": proposal.hub.name,
            "url": url.replace(str(_ANY_PK), str(proposal.pk)),
            "title": proposal.title,
            "status": statuses.get(proposal.status, proposal.status),
            "submitted": _day(proposal.submitted_at),
            "answer_due": _day(proposal.answer_due),
            "is_overdue": proposal.is_overdue(today),
            "decision": decisions.get(proposal.decision, proposal.decision),
        }
        for proposal in proposals
    ]


@require_safe
def proposal_list(request):
    access = request.user.access
    if not access.can_view_proposals():
        raise PermissionDenied
    # Only what the filter and the drafting buttons need: a coordinator sees every hub.
    hubs = Hub.objects.only("slug", "name").order_by("name")
    if not access.is_coordinator:
        hubs = hubs.filter(pk__in=access.hub_ids(Role.WIJKRAAD) | access.managed_hub_ids)
    hubs = list(hubs)
    wijkraad_ids = access.hub_ids(Role.WIJKRAAD)
    form = ProposalFilterForm(request.GET or None, hubs=hubs, statuses=Status.choices)
    filters = form.valid_filters()
    hub = next((h for h in hubs if h.slug == filters.get("hub")), None)
    proposals = selectors.proposals_for_list(
        request.user, status=filters.get("status", ""), hub=hub
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "proposals": page.object_list,
        "rows": _list_rows(page.object_list, timezone.localdate()),
        "filter_query": params.urlencode(),
        "drafting_hubs": [h for h in hubs if h.pk in wijkraad_ids],
        "today": timezone.localdate(),
    }
    return render(request, "proposals/list.html", context)


# --- drafting --------------------------------------------------------------------------------


def _is_preview(request) -> bool:
    return request.method == "POST" and "preview" in request.POST


def _apply_error(form, error: ProposalError) -> None:
    """A service's refusal as a message on the form, next to the field it is about."""
    field = {"start": "desired_start"}.get(error.code)
    form.add_error(field, str(error.message))


def _render_form(request, form, *, hub, proposal, today, fallback_version, fallback_slots):
    """The drafting page with its analysis. The grid compared is what was typed when
    it is correct; the opening hours compared with are those in force on the desired
    start date once it is known."""
    if form.is_bound:
        form.is_valid()
        after_slots = form.grid_slots
        desired = form.cleaned_data.get("desired_start")
    else:
        after_slots, desired = fallback_slots, None
    before_version = fallback_version
    if desired:
        before_version = selectors.version_in_force(hub, desired)
    context = {
        "form": form,
        "hub": hub,
        "proposal": proposal,
        "preview": _is_preview(request),
        "current": fallback_version,
        "desired": desired,
        "analysis": selectors.proposal_analysis(
            hub, before_version=before_version, after_slots=after_slots, today=today
        ),
    }
    return render(request, "proposals/form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request, slug):
    hub = _hub_for_drafting(request, slug)
    today = timezone.localdate()
    current = selectors.version_in_force(hub, today)
    current_slots = list(current.slots.all()) if current else []
    form = ProposalForm(
        request.POST or None,
        today=today,
        source_slots=current_slots,
        preview=_is_preview(request),
    )
    if request.method == "POST" and not _is_preview(request) and form.is_valid():
        try:
            proposal = services.proposal_create(
                hub=hub,
                user=request.user,
                title=form.cleaned_data["title"],
                argumentation=form.cleaned_data["argumentation"],
                desired_start=form.cleaned_data["desired_start"],
                slots=form.cleaned_slots,
            )
        except ProposalError as error:
            if error.code == "forbidden":
                raise PermissionDenied from error
            _apply_error(form, error)
        else:
            messages.success(
                request,
                _("The draft proposal was saved. Only the wijkraad sees it until it is submitted."),
            )
            return redirect(proposal)
    return _render_form(
        request,
        form,
        hub=hub,
        proposal=None,
        today=today,
        fallback_version=current,
        fallback_slots=current_slots,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request, pk):
    proposal = _visible_proposal(request, pk)
    if not rules.can_edit(request.user, proposal):
        if rules.is_wijkraad_of(request.user, proposal):
            messages.info(
                request,
                _("This proposal has been submitted or withdrawn and can no longer be changed."),
            )
            return redirect(proposal)
        raise PermissionDenied
    hub, today = proposal.hub, timezone.localdate()
    proposed = proposal.slots_of(SlotKind.PROPOSED)
    form = ProposalForm(
        request.POST or None,
        today=today,
        source_slots=proposed,
        initial={
            "title": proposal.title,
            "desired_start": proposal.desired_start,
            "argumentation": proposal.argumentation,
        },
        preview=_is_preview(request),
    )
    if request.method == "POST" and not _is_preview(request) and form.is_valid():
        try:
            services.proposal_update(
                proposal_id=proposal.pk,
                user=request.user,
                title=form.cleaned_data["title"],
                argumentation=form.cleaned_data["argumentation"],
                desired_start=form.cleaned_data["desired_start"],
                slots=form.cleaned_slots,
            )
        except ProposalError as error:
            if error.code == "forbidden":
                raise PermissionDenied from error
            if error.code == "stale":
                # Submitted (or withdrawn) in another tab or by another wijkraad member:
                # the typed text stays on the page so nothing is lost.
                form.add_error(
                    None,
                    _(
                        "This proposal was already submitted (or withdrawn) in the meantime, "
                        "so your changes were not saved."
                    ),
                )
            else:
                _apply_error(form, error)
        else:
            messages.success(request, _("The changes to the draft proposal were saved."))
            return redirect(proposal)
    return _render_form(
        request,
        form,
        hub=hub,
        proposal=proposal,
        today=today,
        fallback_version=selectors.version_in_force(hub, proposal.desired_start),
        fallback_slots=proposed,
    )


# --- detail ----------------------------------------------------------------------------------


ANALYSIS_TEMPLATE = "proposals/_analysis.html"

# The analysis as drawn (proposals/_analysis.html) holds nothing personal and nothing that
# is not in the analysis itself: it is the same for everyone who sees these figures in
# this language. Its tables and some forty translated sentences are a large part of the
# page's time, so it is drawn once and kept this long under a digest of what it shows
# (other figures, another key: the cached copy is never out of date).
ANALYSIS_SECONDS = 15 * 60


def _analysis_html(analysis: dict, *, after_caption: str) -> str:
    """proposals/_analysis.html for ``analysis`` (``selectors.proposal_analysis``), rendered
    or from the cache."""
    before_version = analysis["before_version"]
    # Everything the template reads: the hub and the version only for the date below.
    shown = {key: value for key, value in analysis.items() if key not in ("hub", "before_version")}
    valid_from = before_version.valid_from if before_version else None
    digest = hashlib.sha256(repr((after_caption, valid_from, shown)).encode()).hexdigest()
    key = f"proposal-analysis:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            ANALYSIS_TEMPLATE, {"analysis": analysis, "after_caption": after_caption}
        )
        cache.set(key, html, ANALYSIS_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


def detail_context(request, proposal) -> dict:
    """What the detail page shows above the workflow partial."""
    today = timezone.localdate()
    proposed = proposal.slots_of(SlotKind.PROPOSED)
    before_version = selectors.comparison_version(proposal)
    analysis = selectors.proposal_analysis(
        proposal.hub, before_version=before_version, after_slots=proposed, today=today
    )
    context = {
        "proposal": proposal,
        "hub": proposal.hub,
        "status_explanation": _status_explanations().get(proposal.status, ""),
        "is_overdue": proposal.is_overdue(today),
        "can_edit": rules.can_edit(request.user, proposal),
        "is_decided": proposal.status in selectors.DECIDED_STATUSES,
        "analysis": analysis,
        "analysis_html": _analysis_html(analysis, after_caption=_("Opening hours proposed")),
    }
    if proposal.decision == Decision.PARTLY:
        adopted = proposal.slots_of(SlotKind.ADOPTED)
        before_slots = list(before_version.slots.all()) if before_version else []
        context["adopted"] = {
            "compare": selectors.compare_grids(proposed, adopted),
            "norm": selectors.norm_of(adopted),
            "staffing": selectors.staffing_effect(proposal.hub, before_slots, adopted),
        }
    return context


@require_safe
def proposal_detail(request, pk):
    proposal = _visible_proposal(request, pk)
    context = detail_context(request, proposal)
    # The timeline, conversation, answer and actions: templates/proposals/_workflow.html.
    context.update(workflow_context(request, proposal))
    context.update(attachments_context(request, proposal))  # proposals/_attachments.html
    return render(request, "proposals/detail.html", context)
