"""The proposal workflow: status changes, the conversation, the city's answer and the
decision, and whether a decided proposal shows on the public hub page.

Every action is a POST to its own URL that ends in a redirect to the proposal
(POST/redirect/GET), with a message saying what happened. Who may do what is
decided in proposals/rules.py and checked again by proposals/services.py under a
row lock:

- someone who may not see the proposal gets a 404 (a guessed id reveals nothing);
- someone who may see it but not do this gets a 403;
- a form posted from a page that was out of date (the hidden ``expected`` status
  no longer matches, e.g. a transition posted twice) gets the service's "stale"
  message and changes nothing;
- bad input gets a message, and what was typed is kept: the posted data waits in
  the session until the proposal page shows the form again with its errors.

The proposal page (views/drafting.py) shows all this through ``workflow_context``
and templates/proposals/_workflow.html.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rules, selectors, services
from ..constants import Decision, SlotKind, Status
from ..forms_workflow import (
    AdoptedGridForm,
    AnswerForm,
    MessageForm,
    PublicationForm,
    TransitionForm,
    answer_is_valid,
)
from ..models import Message, Proposal
from ..services import ProposalError

# The editable weekly grid (shared with the hub's opening-hours form).
GRID_TEMPLATE = "hubs/_grid_fields.html"

# The session key under which a form that did not validate waits for the page.
_PENDING = "proposal-workflow-{pk}"

# The hand-made status changes, in the order their buttons appear.
_ACTIONS = {
    Status.SUBMITTED: {
        "label": gettext_lazy("Submit to the city"),
        "button": "btn-primary",
        "has_note": False,
    },
    Status.IN_CONVERSATION: {
        "label": gettext_lazy("Start the conversation"),
        "button": "btn-primary",
        "has_note": True,
    },
    Status.WITHDRAWN: {
        "label": gettext_lazy("Withdraw the proposal"),
        "button": "btn-outline-danger",
        "has_note": True,
    },
}


# --- access ----------------------------------------------------------------------------------


def _proposal_for_user(request, pk: int) -> Proposal:
    """The proposal if the user may see it; a 404 otherwise (also for a forged id)."""
    proposal = Proposal.objects.select_related("hub").filter(pk=pk).first()
    if proposal is None or not rules.can_view(request.user, proposal):
        raise Http404
    return proposal


def _as_seen(proposal: Proposal, expected: str | None) -> Proposal:
    """The proposal in the status the page showed when the form was posted.

    Permission is judged on what the person saw: may they do this from that page?
    If so and the status has changed since, the service says the page was out of
    date ("stale") rather than the view answering 403.
    """
    if expected not in Status.values:
        return proposal
    seen = copy.copy(proposal)
    seen.status = expected
    return seen


def _back(proposal: Proposal, anchor: str = ""):
    url = proposal.get_absolute_url()
    return redirect(f"{url}#{anchor}" if anchor else url)


def _keep(request, proposal: Proposal, form_name: str) -> None:
    """Keeps the posted data so the proposal page shows the form again as typed."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[_PENDING.format(pk=proposal.pk)] = {"form": form_name, "data": data}


def _pending(request, proposal: Proposal) -> tuple[str, QueryDict | None]:
    stored = request.session.pop(_PENDING.format(pk=proposal.pk), None)
    if not stored:
        return "", None
    data = QueryDict(mutable=True)
    for key, values in stored.get("data", {}).items():
        data.setlist(key, values)
    return stored.get("form", ""), data


def _first_error(*forms) -> str:
    for form in forms:
        for errors in form.errors.values():
            if errors:
                return errors[0]
    return _("Please check the form.")


def _error(request, error: ProposalError):
    if error.code == "forbidden":
        raise PermissionDenied(str(error.message))
    messages.error(request, str(error.message))


# --- what the proposal page shows --------------------------------------------------------------


def _render_grid(grid_form: AdoptedGridForm) -> str:
    caption = _("Adopted open dagdelen per weekday, with the times the hub opens and closes")
    return render_to_string(GRID_TEMPLATE, {"grid": grid_form, "caption": caption})


# The adopted grid as first shown holds nothing personal and no CSRF token: it is the
# same for everyone who sees a proposal with these slots in this language. Its 63
# fields are the costliest part of the page, so it is drawn once and then kept this
# long (after a deploy that changes the grid, the old one may show until then).
ADOPTED_GRID_SECONDS = 15 * 60


def _first_adopted_grid(proposal, *, today, source) -> str:
    """The adopted grid as first shown, starting from ``source`` (slots), rendered."""
    # Everything it shows follows from the slots it starts from.
    cells = sorted((s.weekday, s.dagdeel, s.start_time, s.end_time) for s in source)
    digest = hashlib.sha256(repr(cells).encode()).hexdigest()
    key = f"proposal-adopted-grid:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        grid_form = AdoptedGridForm(proposal=proposal, today=today, source_slots=source)
        html = str(_render_grid(grid_form))
        cache.set(key, html, ADOPTED_GRID_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _answer_forms(proposal, *, today, answers, data=None):
    """The answer form, the adopted grid's form and the rendered grid, prefilled from
    the latest draft. The grid's form is None unless an answer was posted (``data``):
    then the grid is drawn as first shown, from the cache if it can."""
    drafts = [a for a in answers if a.published_at is None]
    latest = drafts[-1] if drafts else None
    initial = {"expected": proposal.status}
    if latest is not None:
        initial.update(
            decision=latest.decision, motivation=latest.motivation, start_date=latest.start_date
        )
    elif proposal.desired_start and proposal.desired_start > today:
        initial["start_date"] = proposal.desired_start
    slots = list(proposal.slots.all())
    adopted = [s for s in slots if s.kind == SlotKind.ADOPTED]
    source = adopted or [s for s in slots if s.kind == SlotKind.PROPOSED]
    answer_form = AnswerForm(data, today=today, initial=initial)
    if data is None:
        return answer_form, None, _first_adopted_grid(proposal, today=today, source=source)
    grid_form = AdoptedGridForm(data, proposal=proposal, today=today, source_slots=source)
    answer_is_valid(answer_form, grid_form)  # so the errors show
    return answer_form, grid_form, _render_grid(grid_form)


def workflow_context(request, proposal: Proposal) -> dict:
    """What templates/proposals/_workflow.html needs, as ``{"workflow": {...}}``.

    The proposal page merges this into its context. A fixed number of queries
    whatever the length of the history: the transitions, the answers and the
    messages (each with its author), and the proposal's slots unless prefetched.
    """
    user = request.user
    today = timezone.localdate()
    is_city = rules.is_city_for(user, proposal)
    pending_form, pending_data = _pending(request, proposal)

    def data_for(name: str):
        return pending_data if pending_form == name else None

    transitions = list(selectors.with_person(proposal.transitions.all(), "by"))
    answers = list(selectors.with_person(proposal.answers.all(), "written_by"))
    conversation = selectors.with_person(Message.objects.filter(proposal=proposal), "author")
    if not is_city:
        # Internal notes are the city's: they never reach the wijkraad's page.
        conversation = conversation.filter(internal=False)
    conversation = list(conversation)

    shown_answers = answers if is_city else [a for a in answers if a.published_at]
    timeline = [{"at": t.at, "transition": t} for t in transitions]
    timeline += [{"at": a.published_at or a.written_at, "answer": a} for a in shown_answers]
    timeline.sort(key=lambda entry: entry["at"])
    published = [a for a in answers if a.published_at]
    published_answer = max(published, key=lambda a: a.published_at) if published else None

    actions = []
    for target in rules.allowed_transitions(user, proposal):
        target_data = data_for(f"transition-{target}")
        form = TransitionForm(
            target_data,
            target=target,
            initial={"to": target, "expected": proposal.status},
        )
        if target_data is not None:
            form.is_valid()
        actions.append({"target": target, "form": form, **_ACTIONS[target]})

    message_form = None
    if rules.can_write(user, proposal, internal=False):
        message_data = data_for("message")
        message_form = MessageForm(
            message_data,
            can_write_internal=rules.can_write(user, proposal, internal=True),
        )
        if message_data is not None:
            message_form.is_valid()

    answer_form = grid_form = grid_html = None
    if rules.can_draft_answer(user, proposal):
        answer_form, grid_form, grid_html = _answer_forms(
            proposal, today=today, answers=answers, data=data_for("answer")
        )

    publication_form = None
    if rules.can_set_publication(user, proposal):
        publication_form = PublicationForm(
            initial={"public": "0" if proposal.publish_on_hub_page else "1"}
        )

    return {
        "workflow": {
            "is_city": is_city,
            "timeline": timeline,
            "published_answer": published_answer,
            "conversation": conversation,
            "message_form": message_form,
            "actions": actions,
            "answer_form": answer_form,
            "grid_form": grid_form,
            "adopted_grid": grid_html,
            "can_decide": rules.can_decide(user, proposal),
            "publication_form": publication_form,
            "urls": {
                name: reverse(f"proposals:{name}", args=[proposal.pk])
                for name in ("transition", "message", "answer_draft", "decide", "publication")
            },
        }
    }


# --- the actions -------------------------------------------------------------------------------


_DONE = {
    Status.SUBMITTED: gettext_lazy(
        "The proposal is submitted. The city answers by %(date)s; you get an e-mail at every step."
    ),
    Status.IN_CONVERSATION: gettext_lazy("The conversation with the wijkraad has started."),
    Status.WITHDRAWN: gettext_lazy("The proposal is withdrawn."),
}


@require_POST
def transition(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    to, expected = request.POST.get("to", ""), request.POST.get("expected", "")
    if to not in Status.values or expected not in Status.values:
        messages.error(request, _("The form was incomplete. Please try again."))
        return _back(proposal)
    if to not in rules.allowed_transitions(request.user, _as_seen(proposal, expected)):
        raise PermissionDenied(_("You cannot make this change to the proposal."))
    form = TransitionForm(request.POST, target=to)
    if not form.is_valid():
        _keep(request, proposal, f"transition-{to}")
        messages.error(request, _first_error(form))
        return _back(proposal, "workflow-actions")
    try:
        proposal = services.proposal_transition(
            proposal_id=proposal.pk,
            user=request.user,
            to=to,
            expected=expected,
            note=form.cleaned_data["note"].strip(),
        )
    except ProposalError as error:
        _error(request, error)
        return _back(proposal)
    date = proposal.answer_due.strftime("%d-%m-%Y") if proposal.answer_due else ""
    messages.success(request, _DONE[to] % {"date": date} if to == Status.SUBMITTED else _DONE[to])
    return _back(proposal)


@require_POST
def message(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    user = request.user
    internal = bool(request.POST.get("internal"))
    if not rules.can_write(user, proposal, internal=internal):
        raise PermissionDenied(_("You cannot write here."))
    form = MessageForm(request.POST, can_write_internal=internal)
    if not form.is_valid():
        _keep(request, proposal, "message")
        messages.error(request, _first_error(form))
        return _back(proposal, "conversation")
    try:
        services.proposal_message(
            proposal_id=proposal.pk,
            user=user,
            body=form.cleaned_data["body"].strip(),
            internal=internal,
        )
    except ProposalError as error:
        _error(request, error)
        _keep(request, proposal, "message")
        return _back(proposal, "conversation")
    if internal:
        messages.success(request, _("The internal note is saved. Only the city sees it."))
    else:
        messages.success(request, _("Your reply is posted; the other side gets an e-mail."))
    return _back(proposal, "conversation")


def _answer_from_post(request, proposal):
    today = timezone.localdate()
    slots = proposal.slots_of(SlotKind.ADOPTED) or proposal.slots_of(SlotKind.PROPOSED)
    answer_form = AnswerForm(request.POST, today=today)
    grid_form = AdoptedGridForm(request.POST, proposal=proposal, today=today, source_slots=slots)
    return answer_form, grid_form


@require_POST
def answer_draft(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    if not rules.can_draft_answer(request.user, proposal):
        if rules.is_city_for(request.user, proposal):
            messages.error(
                request,
                _("This proposal is “%(status)s”: its answer can no longer be changed.")
                % {"status": proposal.get_status_display()},
            )
            return _back(proposal)
        raise PermissionDenied(_("You cannot answer this proposal."))
    answer_form, _grid_form = _answer_from_post(request, proposal)
    # A draft does not hold the adopted grid (see below), so only the answer is checked.
    if not answer_form.is_valid():
        _keep(request, proposal, "answer")
        messages.error(
            request,
            _("The draft was not saved: %(error)s") % {"error": _first_error(answer_form)},
        )
        return _back(proposal, "answer")
    data = answer_form.cleaned_data
    try:
        services.answer_save_draft(
            proposal_id=proposal.pk,
            user=request.user,
            decision=data["decision"],
            motivation=data["motivation"],
            start_date=data["start_date"],
        )
    except ProposalError as error:
        _error(request, error)
        _keep(request, proposal, "answer")
        return _back(proposal, "answer")
    messages.success(request, _("The draft answer is saved. Only the city sees drafts."))
    if data["decision"] == Decision.PARTLY:
        # A draft is the decision, motivation and date; the adopted grid is recorded when
        # the decision is published. Show it again as typed so nothing is lost meanwhile.
        _keep(request, proposal, "answer")
        messages.info(
            request,
            _("The adopted opening hours are recorded when the decision is published."),
        )
    return _back(proposal, "answer")


@require_POST
def decide(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    expected = request.POST.get("expected", "")
    if not rules.can_decide(request.user, _as_seen(proposal, expected)):
        if rules.can_decide(request.user, _as_seen(proposal, Status.SUBMITTED)):
            # The coordinator, on a proposal that is no longer open.
            messages.error(
                request,
                _("This proposal is “%(status)s”: it can no longer be decided.")
                % {"status": proposal.get_status_display()},
            )
            return _back(proposal)
        raise PermissionDenied(_("Only the coordinator decides on proposals."))
    answer_form, grid_form = _answer_from_post(request, proposal)
    if not answer_is_valid(answer_form, grid_form):
        _keep(request, proposal, "answer")
        messages.error(
            request,
            _("The decision was not published: %(error)s")
            % {"error": _first_error(answer_form, grid_form)},
        )
        return _back(proposal, "answer")
    data = answer_form.cleaned_data
    decision = data["decision"]
    try:
        proposal = services.proposal_decide(
            proposal_id=proposal.pk,
            user=request.user,
            expected=expected,
            decision=decision,
            motivation=data["motivation"],
            start_date=data["start_date"],
            adopted_slots=grid_form.cleaned_slots if decision == Decision.PARTLY else None,
        )
    except ProposalError as error:
        _error(request, error)
        if error.code != "stale":
            _keep(request, proposal, "answer")
        return _back(proposal, "answer")
    if decision == Decision.REJECTED:
        messages.success(request, _("The decision is published; the wijkraad gets an e-mail."))
    else:
        messages.success(
            request,
            _(
                "The decision is published; the wijkraad gets an e-mail. The new opening hours "
                "apply from %(date)s and the roster follows."
            )
            % {"date": _date(proposal.start_date)},
        )
    return _back(proposal)


def _date(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


@require_POST
def publication(request, pk: int):
    proposal = _proposal_for_user(request, pk)
    if not rules.can_set_publication(request.user, proposal):
        raise PermissionDenied(_("Only the coordinator decides what is published."))
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Please try again."))
        return _back(proposal)
    public = form.cleaned_data["public"]
    try:
        services.proposal_set_publication(proposal_id=proposal.pk, user=request.user, public=public)
    except ProposalError as error:
        _error(request, error)
        return _back(proposal)
    if public:
        messages.success(
            request,
            _("Once decided, this proposal and its answer are shown on the public hub page."),
        )
    else:
        messages.success(request, _("This proposal is no longer shown on the public hub page."))
    return _back(proposal)
