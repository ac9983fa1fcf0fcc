"""Callback requests (terugbelverzoeken), the teams that phone back, and the AVG log.

Who may see a callback at all: its team's members, the host who made it, the hub's
wijkmanagers and coordinators; anyone else gets a 404, so a guessed reference does
not even reveal that it exists. The resident's details are shown only to those for
whom ``CallbackRequest.personal_data_visible_to`` says so (coordinators see the
anonymous record), and every time they are shown ``services.personal_data_viewed``
records it. Every change goes through questions/services.py; a CallbackError becomes
a message and the browser is redirected (POST/redirect/GET), so a reload or a
replayed form never does anything twice and never ends in a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hubs.models import Hub
from wijkhubs.paging import seek as _seek

from .. import services
from ..constants import OPEN_STATUSES, CallbackStatus
from ..forms_callbacks import (
    AccessLogFilterForm,
    AttemptForm,
    CallbackForm,
    CompleteForm,
    ForwardForm,
    QueueFilterForm,
    ReopenForm,
    TeamForm,
)
from ..models import CallbackRequest, PersonalDataAccess, Question, Team, Topic
from ..services import CallbackError

PAGE_SIZE = 50
# Closed callbacks stay in the team's second list this long.
RECENTLY_CLOSED_DAYS = 30
KCC_PHONE = "14010"

# --- access ----------------------------------------------------------------------------------


@dataclass
class Viewer:
    """What the current user is to one callback (asked once per request)."""

    is_member: bool  # of the callback's team: may claim, handle and forward it
    sees_personal_data: bool  # CallbackRequest.personal_data_visible_to


def _callback_for_user(request, reference: str) -> tuple[CallbackRequest, Viewer]:
    """The callback ``reference`` if the user may see its record; otherwise 404."""
    callback = (
        CallbackRequest.objects.select_related(
            "hub", "team", "question__topic__parent", "created_by", "claimed_by"
        )
        .filter(reference=reference)
        .first()
    )
    if callback is None:
        raise Http404
    user = request.user
    viewer = Viewer(
        is_member=callback.team.members.filter(pk=user.pk).exists(),
        sees_personal_data=callback.personal_data_visible_to(user),
    )
    if not (viewer.sees_personal_data or user.access.is_coordinator):
        raise Http404
    return callback, viewer


def _require_member(viewer: Viewer) -> None:
    """Claiming, calling, completing and forwarding are for the team's members; others
    who may see the record (the host, wijkmanagers, coordinators) get 403."""
    if not viewer.is_member:
        raise PermissionDenied


def _team_for_user(request, pk: int) -> tuple[Team, bool]:
    """The team and whether the user is a member; 403 unless member or coordinator.
    One query: the membership comes with the team."""
    membership = Team.members.through.objects.filter(team=OuterRef("pk"), user=request.user.pk)
    team = get_object_or_404(Team.objects.annotate(is_member=Exists(membership)), pk=pk)
    if not (team.is_member or request.user.access.is_coordinator):
        raise PermissionDenied
    return team, team.is_member


def _require_team_admin(request) -> None:
    if not request.user.access.can_manage_teams():
        raise PermissionDenied


# --- making a callback request -------------------------------------------------------------


def _initial_topic(request):
    """``?topic=<id>`` from the desk, if it is an active topic; anything else is ignored."""
    value = request.GET.get("topic", "")
    if not value.isdigit():
        return None
    return Topic.objects.active().filter(pk=int(value)).first()


@require_http_methods(["GET", "HEAD", "POST"])
def callback_create(request, slug):
    hub = get_object_or_404(Hub.objects.active(), slug=slug)
    if not request.user.access.can_use_desk(hub):
        raise PermissionDenied
    if request.method == "POST":
        form = CallbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                callback = services.callback_create(
                    hub=hub,
                    user=request.user,
                    topic=data["topic"],
                    team=data["team"],
                    resident_name=data["resident_name"],
                    phone=data["phone"],
                    email=data["email"],
                    reachable=data["reachable"],
                    language=data["language"],
                    question_text=data["question_text"],
                    consent=data["consent"],
                )
            except CallbackError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("questions:callback_slip", callback.reference)
    else:
        topic = _initial_topic(request)
        form = CallbackForm(initial={"topic": topic.pk} if topic else None)
    context = {"hub": hub, "form": form, "retention_days": settings.CALLBACK_RETENTION_DAYS}
    return render(request, "questions/callbacks/create.html", context)


@require_safe
def callback_slip(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    if not viewer.sees_personal_data:
        raise Http404
    context = {"callback": callback, "hub": callback.hub, "kcc_phone": KCC_PHONE}
    return render(request, "questions/callbacks/slip.html", context)


# --- one callback ------------------------------------------------------------------------------


def _timeline(callback: CallbackRequest) -> list[dict]:
    """Events and call attempts in the order they happened."""
    entries = [
        {"at": e.at, "kind": "event", "item": e}
        for e in callback.events.select_related("by", "from_team", "to_team")
    ]
    entries += [
        {"at": a.at, "kind": "attempt", "item": a} for a in callback.attempts.select_related("by")
    ]
    return sorted(entries, key=lambda entry: entry["at"])


def _reverse(name: str, reference: str) -> str:
    return reverse(name, args=[reference])


def _render_detail(
    request, callback: CallbackRequest, viewer: Viewer, *, status: int = 200, **forms
):
    user = request.user
    today = timezone.localdate()
    shows_personal = viewer.sees_personal_data and not callback.is_purged
    if shows_personal:
        services.personal_data_viewed(callback=callback, user=user, purpose="detail")
    mine = callback.claimed_by_id == user.pk
    is_open = callback.is_open
    ref = callback.reference
    can_reopen = not is_open and not callback.is_purged and viewer.sees_personal_data
    context = {
        "callback": callback,
        "today": today,
        "overdue": callback.is_overdue(today),
        "shows_personal": shows_personal,
        # Notes are emptied with the personal data as they may hold some, so they are
        # shown to the same people.
        "shows_notes": viewer.sees_personal_data,
        "timeline": _timeline(callback),
        "is_member": viewer.is_member,
        "mine": mine,
        "can_claim": viewer.is_member and is_open and not callback.claimed_by_id,
        "taken_by_other": is_open and callback.claimed_by_id and not mine,
        "can_reopen": can_reopen,
    }
    if is_open and mine:
        context["attempt_form"] = forms.get("attempt_form") or AttemptForm(
            action=_reverse("questions:callback_attempt", ref)
        )
        context["complete_form"] = forms.get("complete_form") or CompleteForm(
            action=_reverse("questions:callback_complete", ref)
        )
    if is_open and viewer.is_member:
        context["forward_form"] = forms.get("forward_form") or ForwardForm(
            action=_reverse("questions:callback_forward", ref), current_team=callback.team
        )
    if can_reopen:
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm(
            action=_reverse("questions:callback_reopen", ref)
        )
    return render(request, "questions/callbacks/detail.html", context, status=status)


@require_safe
def callback_detail(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    return _render_detail(request, callback, viewer)


def _run(request, service, **kwargs) -> CallbackRequest | None:
    """Calls ``service``; a CallbackError becomes an error message (None is returned)."""
    try:
        return service(user=request.user, **kwargs)
    except CallbackError as exc:
        messages.error(request, exc.message)
        return None


@require_POST
def callback_claim(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    _require_member(viewer)
    try:
        services.callback_claim(callback_id=callback.pk, user=request.user)
    except CallbackError as exc:
        holder = None
        if exc.code == "taken":
            # Named by our own sentence ("X heeft dit al opgepakt"), read after the lock.
            current = (
                CallbackRequest.objects.select_related("claimed_by").filter(pk=callback.pk).first()
            )
            holder = current.claimed_by if current else None
        if holder is not None:
            messages.error(request, _("%(name)s has already claimed this.") % {"name": holder})
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, _("You have claimed %(reference)s.") % {"reference": reference})
    return redirect(callback)


@require_POST
def callback_release(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    _require_member(viewer)
    if _run(request, services.callback_release, callback_id=callback.pk):
        messages.success(
            request,
            _("%(reference)s is back in the team's queue.") % {"reference": reference},
        )
    return redirect(callback)


@require_POST
def callback_attempt(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    _require_member(viewer)
    form = AttemptForm(request.POST, action=_reverse("questions:callback_attempt", reference))
    if not form.is_valid():
        return _render_detail(request, callback, viewer, status=400, attempt_form=form)
    updated = _run(
        request,
        services.callback_log_attempt,
        callback_id=callback.pk,
        result=form.cleaned_data["result"],
        note=form.cleaned_data["note"],
    )
    if updated is not None:
        if updated.status == CallbackStatus.UNREACHABLE:
            messages.warning(
                request,
                _(
                    "The attempt is recorded. After %(count)s failed attempts the resident "
                    "counts as unreachable; the host who made the request is told."
                )
                % {"count": updated.failed_attempts},
            )
        else:
            messages.success(request, _("The attempt is recorded."))
    return redirect(callback)


@require_POST
def callback_complete(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    _require_member(viewer)
    form = CompleteForm(request.POST, action=_reverse("questions:callback_complete", reference))
    if not form.is_valid():
        return _render_detail(request, callback, viewer, status=400, complete_form=form)
    if _run(
        request,
        services.callback_complete,
        callback_id=callback.pk,
        result=form.cleaned_data["result"],
    ):
        messages.success(
            request,
            _("%(reference)s is completed; the host who made it is told.")
            % {"reference": reference},
        )
    return redirect(callback)


@require_POST
def callback_forward(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    _require_member(viewer)
    form = ForwardForm(
        request.POST,
        action=_reverse("questions:callback_forward", reference),
        current_team=callback.team,
    )
    if not form.is_valid():
        return _render_detail(request, callback, viewer, status=400, forward_form=form)
    old_team = callback.team
    updated = _run(
        request,
        services.callback_forward,
        callback_id=callback.pk,
        team=form.cleaned_data["team"],
        reason=form.cleaned_data["reason"],
    )
    if updated is None:
        return redirect(callback)
    messages.success(
        request,
        _("%(reference)s is forwarded to %(team)s.")
        % {"reference": reference, "team": updated.team},
    )
    # Forwarded out of one's own team, the callback may no longer be visible to you.
    if request.user.access.is_coordinator or updated.personal_data_visible_to(request.user):
        return redirect(callback)
    return redirect("questions:team_queue", old_team.pk)


@require_POST
def callback_reopen(request, reference):
    callback, viewer = _callback_for_user(request, reference)
    if not viewer.sees_personal_data:  # those who may see the resident's details
        raise PermissionDenied
    form = ReopenForm(request.POST, action=_reverse("questions:callback_reopen", reference))
    if not form.is_valid():
        return _render_detail(request, callback, viewer, status=400, reopen_form=form)
    if _run(
        request,
        services.callback_reopen,
        callback_id=callback.pk,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request,
            _("%(reference)s is back in the queue of %(team)s.")
            % {"reference": reference, "team": callback.team},
        )
    return redirect(callback)


# --- lists -----------------------------------------------------------------------------------


# The columns a row of a callback list shows: the resident's details and the other
# fields of the joined tables are neither read nor turned into Python objects.
_ROW_FIELDS = (
    "reference",
    "status",
    "due_date",
    "created_at",
    "closed_at",
    "hub__name",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__email",
)


def _list_rows(queryset):
    """The callbacks of a list with what its rows show (the sent list; a team's queue
    reads plain values, see ``_QUEUE_FIELDS``). The topic is fetched apart
    (``_with_topics``): there are few, and joining them (with their main topic) into
    every row made the query take longer to plan than to run."""
    return (
        queryset.select_related("hub", "claimed_by", "team")
        .only(*_ROW_FIELDS, "team__name")
        .annotate(topic_id=F("question__topic_id"))
    )


def _with_topics(*lists) -> None:
    """Gives every row of ``lists`` its ``topic`` (with its main topic): one query."""
    rows = [row for rows in lists for row in rows]
    topics = Topic.objects.select_related("parent").in_bulk({row.topic_id for row in rows})
    for row in rows:
        row.topic = topics[row.topic_id]


_PLAIN_REFERENCE = re.compile(r"[A-Z0-9-]+")
_STAND_IN = "STAND-IN"


def _address_maker(name: str) -> Callable[[str], str]:
    """``reverse(name, args=[reference])`` for every row of a list, at the cost of one
    reverse() for the list: a reverse() per row cost more than the rest of the row.
    A reference (letters, digits and dashes) stands in an address as it is, so it can
    take the place of a stand-in; anything else still goes through reverse()."""
    pattern = reverse(name, args=[_STAND_IN])

    def address(reference: str) -> str:
        if _PLAIN_REFERENCE.fullmatch(reference):
            return pattern.replace(_STAND_IN, reference)
        return reverse(name, args=[reference])

    return address


def _mark(rows, user, today: dt.date):
    for row in rows:
        row.overdue = row.is_overdue(today)
        row.mine = row.claimed_by_id == user.pk
    return rows


@require_safe
def callbacks_sent(request):
    """The callback requests the user made, newest first: what became of them."""
    if not request.user.access.can_use_desk():
        raise PermissionDenied
    today = timezone.localdate()
    rows, next_cursor = _seek(
        _list_rows(CallbackRequest.objects.filter(created_by=request.user)),
        key="created_at",
        cursor=request.GET.get("after"),
        descending=True,
    )
    _with_topics(rows)
    context = {
        "rows": _mark(rows, request.user, today),
        "next_cursor": next_cursor,
        "paged": bool(request.GET.get("after")),
        "today": today,
    }
    return render(request, "questions/callbacks/sent.html", context)


@require_safe
def teams(request):
    access = request.user.access
    today = timezone.localdate()
    queryset = Team.objects.all() if access.is_coordinator else request.user.teams.all()
    # Only the open callbacks are joined (in the join's ON clause): joining all of
    # them, the closed ones of years included, and filtering in the COUNT read the
    # whole table (200 ms at city scale rather than 10).
    open_callbacks = FilteredRelation("callbacks", condition=Q(callbacks__status__in=OPEN_STATUSES))
    rows = list(
        queryset.select_related("cluster")
        .order_by("name")
        .annotate(open_callbacks=open_callbacks)
        .annotate(
            open_count=Count("open_callbacks"),
            overdue_count=Count("open_callbacks", filter=Q(open_callbacks__due_date__lt=today)),
        )
    )
    # "Terugbellen" in the menu: the queues of the user's teams, and for desk users
    # the way to the callbacks they made. Wijkraad members have no business here.
    if not access.can_view_roster():
        raise PermissionDenied
    context = {
        "rows": rows,
        "can_manage": access.can_manage_teams(),
        "can_use_desk": access.can_use_desk(),
    }
    return render(request, "questions/callbacks/teams.html", context)


@dataclass(slots=True)
class QueueRow:
    """One row of a team's queue as plain values, drawn by ``{% open_callback_rows %}``
    and ``{% closed_callback_rows %}`` (questions/templatetags/callbacks_rows.py)."""

    reference: str
    status: str
    due_date: dt.date
    closed_at: dt.datetime | None
    hub: str  # its name
    topic: str  # as str(topic): "Main topic › Topic"
    claimed_by_id: int | None
    handler: str  # who claimed it, as str(user); "" while nobody has
    url: str
    claim_url: str = ""
    overdue: bool = False
    mine: bool = False


# A queue page reads plain values rather than model instances: building a callback, its
# hub and its handler for each of 100 rows cost more than the query. The resident's
# details are not among them.
_QUEUE_FIELDS = (
    "pk",
    "reference",
    "status",
    "due_date",
    "closed_at",
    "hub__name",
    "claimed_by_id",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__email",
    "question_id",
)


def _queue_rows(records, *, user, today: dt.date, topics: dict, detail, claim=None):
    """``QueueRow``s for one page of ``_QUEUE_FIELDS`` records. ``topics`` maps a
    question id to its topic's label (``_topic_labels``); ``claim`` (open callbacks
    only) makes a row's claim address."""
    handlers: dict[int, str] = {}
    user_pk = user.pk  # request.user is a lazy object: asked once, not per row
    rows = []
    for record in records:
        handler_id = record.claimed_by_id
        handler = ""
        if handler_id is not None:
            handler = handlers.get(handler_id)
            if handler is None:
                # What str(user) gives (User.__str__: the full name, else the e-mail
                # address), without building a User for every handler.
                full_name = f"{record.claimed_by__first_name} {record.claimed_by__last_name}"
                handler = handlers[handler_id] = full_name.strip() or record.claimed_by__email
        reference = record.reference
        is_open = record.status in OPEN_STATUSES
        rows.append(
            QueueRow(
                reference=reference,
                status=record.status,
                due_date=record.due_date,
                closed_at=record.closed_at,
                hub=record.hub__name,
                topic=topics[record.question_id],
                claimed_by_id=handler_id,
                handler=handler,
                url=detail(reference),
                claim_url=claim(reference) if claim else "",
                # CallbackRequest.is_overdue
                overdue=is_open and record.due_date < today,
                mine=handler_id == user_pk,
            )
        )
    return rows


def _topic_labels(*pages) -> dict[int, str]:
    """The topic of every callback on ``pages`` as str(topic) ("Main topic › Topic"),
    by question id: one query. Read here rather than joined into the page queries:
    the join with the (large) question table doubled the time those took to plan."""
    question_ids = [record.question_id for page in pages for record in page]
    records = (
        Question.objects.filter(pk__in=question_ids)
        .order_by()
        .values_list("pk", "topic_id", "topic__name", "topic__parent_id", "topic__parent__name")
    )
    by_topic: dict[int, str] = {}
    labels = {}
    for question_id, topic_id, name, parent_id, parent_name in records:
        label = by_topic.get(topic_id)
        if label is None:
            parent = Topic(pk=parent_id, name=parent_name) if parent_id else None
            label = by_topic[topic_id] = str(Topic(pk=topic_id, name=name, parent=parent))
        labels[question_id] = label
    return labels


@require_safe
def team_queue(request, pk):
    team, is_member = _team_for_user(request, pk)
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    open_qs = CallbackRequest.objects.open().filter(team=team)
    if filters["status"]:
        open_qs = open_qs.filter(status=filters["status"])
    if filters["mine"]:
        open_qs = open_qs.filter(claimed_by=request.user)
    # Sorted by due date: the overdue ones come first by themselves.
    open_page, next_cursor = _seek(
        open_qs.values_list(*_QUEUE_FIELDS, named=True),
        key="due_date",
        cursor=request.GET.get("after"),
        descending=False,
    )
    since = timezone.now() - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    closed_page, closed_next = _seek(
        CallbackRequest.objects.closed()
        .filter(team=team, closed_at__gte=since)
        .values_list(*_QUEUE_FIELDS, named=True),
        key="closed_at",
        cursor=request.GET.get("closed_after"),
        descending=True,
    )
    topics = _topic_labels(open_page, closed_page)
    detail = _address_maker("questions:callback_detail")
    claim = _address_maker("questions:callback_claim")
    mark = {"user": request.user, "today": today, "topics": topics, "detail": detail}
    context = {
        "team": team,
        "is_member": is_member,
        "form": form,
        "rows": _queue_rows(open_page, claim=claim, **mark),
        "next_cursor": next_cursor,
        "closed": _queue_rows(closed_page, **mark),
        "closed_next": closed_next,
        "recent_days": RECENTLY_CLOSED_DAYS,
        "paged": bool(request.GET.get("after") or request.GET.get("closed_after")),
        "today": today,
    }
    return render(request, "questions/callbacks/team_queue.html", context)


# --- team management -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def team_admin(request):
    _require_team_admin(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        messages.success(request, _("Team %(team)s is created.") % {"team": team})
        return redirect("questions:team_admin")
    rows = (
        Team.objects.select_related("cluster")
        .order_by("name")
        .annotate(member_count=Count("members"))
    )
    context = {"rows": rows, "form": form}
    return render(request, "questions/callbacks/team_admin.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def team_edit(request, pk):
    _require_team_admin(request)
    team = get_object_or_404(Team, pk=pk)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Team %(team)s is saved.") % {"team": team})
        return redirect("questions:team_admin")
    return render(request, "questions/callbacks/team_edit.html", {"team": team, "form": form})


# --- AVG access log -------------------------------------------------------------------------


@require_safe
def access_log(request):
    if not request.user.access.can_view_access_log():
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    queryset = PersonalDataAccess.objects.select_related("user", "callback")
    if filters["reference"]:
        queryset = queryset.filter(callback__reference=filters["reference"])
    if filters["user"]:
        queryset = queryset.filter(user__email__icontains=filters["user"])
    rows, next_cursor = _seek(queryset, key="at", cursor=request.GET.get("after"), descending=True)
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "paged": bool(request.GET.get("after")),
    }
    return render(request, "questions/callbacks/access_log.html", context)
