"""The desk (/balie/), the question list (/vragen/) and the lists coordinators and
wijkmanagers keep: topics and referral destinations (/beheer/...).

The desk is made for a tablet in the hub: a question is a topic, an outcome and
Save. Writes go through questions/services.py; who may do what is asked of
``request.user.access`` in the small helpers at the top.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hubs.feedcache import cached_public_data
from hubs.models import Hub
from questions import services
from questions.constants import Outcome
from questions.forms_desk import (
    DeskForm,
    GapForm,
    QuestionFilterForm,
    QuestionForm,
    ReferralTargetForm,
    TopicForm,
)
from questions.models import Article, KnowledgeGap, Question, ReferralTarget, Topic
from questions.search import article_search
from questions.services import CallbackError
from questions.validators import describe

LOG_LIMIT = 200  # today's log; a busy hub logs perhaps 80 questions a day
PAGE_SIZE = 50
SEARCH_RESULTS = 5

# --- access and helpers ------------------------------------------------------------------


def _require_desk_user(request) -> None:
    if not request.user.access.can_use_desk():
        raise PermissionDenied


def _desk_hub(request, slug: str) -> Hub:
    """The active hub with ``slug``: 404 if there is none, 403 if not this user's desk."""
    hub = get_object_or_404(Hub.objects.active(), slug=slug)
    if not request.user.access.can_use_desk(hub):
        raise PermissionDenied
    return hub


def _desk_hubs(user):
    ids = user.access.desk_hub_ids()
    hubs = Hub.objects.active().select_related("gebied").order_by("name")
    return hubs if ids is None else hubs.filter(pk__in=ids)


def _initials(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """ "SD" for Sanne de Vries, the email's first two letters for a user without a
    name, "–" for none (the three fields are None when the author was deleted)."""
    if email is None:
        return "–"
    parts = [p for p in (first_name, last_name) if p]
    return "".join(p[0] for p in parts).upper() if parts else email[:2].upper()


def _callback_url(hub: Hub, topic: Topic | None, language: str = "") -> str:
    """The callback form of this hub (views/callbacks.py) with the topic filled in."""
    params = {}
    if topic is not None:
        params["topic"] = topic.pk
    if language:
        params["language"] = language
    url = reverse("questions:callback_create", args=[hub.slug])
    return f"{url}?{urlencode(params)}" if params else url


def _opening_label(hub: Hub, now: dt.datetime) -> str:
    day = timezone.localdate(now)
    # The day's openings come from the public data cache (hubs/feedcache.py): four
    # queries a page view otherwise, for what changes a few times a year.
    openings = cached_public_data(
        f"openings:{hub.pk}:{day.isoformat()}",
        lambda: hub.calendar(day, day).day(hub.pk, day).openings,
    )
    opening = next((o for o in openings if o.contains(now)), None)
    return opening.dagdeel_label if opening else _("outside opening hours")


def _topics() -> tuple[list[tuple[Topic, list[Topic]]], dict[int, Topic]]:
    """The desk's topic tree — active main topics, each with its active subtopics — and
    every topic by id (today's log may name one made inactive since): one query."""
    by_id = {topic.pk: topic for topic in Topic.objects.order_by("position", "name")}
    subtopics: dict[int, list[Topic]] = defaultdict(list)
    mains = []
    for topic in by_id.values():
        if topic.parent_id is not None:
            # str(topic) names the main topic too; from here it costs no query.
            topic.parent = by_id[topic.parent_id]
        if not topic.is_active:
            continue
        if topic.parent_id is None:
            mains.append(topic)
        else:
            subtopics[topic.parent_id].append(topic)
    return [(main, subtopics[main.pk]) for main in mains], by_id


def _topic_tree() -> list[tuple[Topic, list[Topic]]]:
    """Active main topics, each with its active subtopics: one query."""
    return _topics()[0]


def _split_topic(topic: Topic | None) -> dict:
    """Form initial data for a stored topic: its main topic and, if any, the subtopic."""
    if topic is None:
        return {}
    if topic.parent_id:
        return {"topic": topic.parent_id, "subtopic": topic.pk}
    return {"topic": topic.pk}


@dataclass(slots=True)
class LogEntry:
    """One row of today's log, in plain values: a busy hub logs over 200 questions a day,
    and model instances (and their methods, called from the template) cost most of the
    page's time. questions/templatetags/desk_rows.py draws the rows."""

    pk: int
    created_at: dt.datetime
    created_by_id: int | None
    topic: str
    outcome: str
    referral_target: str  # the destination's name, or ""
    language: str
    interpreter_needed: bool
    author_initials: str
    correctable: bool = False


# What a row of today's log shows (its topic comes from the desk's list of topics).
_LOG_FIELDS = (
    "pk",
    "created_at",
    "created_by_id",
    "topic_id",
    "outcome",
    "referral_target__name",
    "language",
    "interpreter_needed",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__email",
)


def _today_log(hub: Hub, user, now: dt.datetime, topics: dict[int, Topic]) -> list[LogEntry]:
    rows = (
        Question.objects.filter(hub=hub, date=timezone.localdate(now))
        .order_by("-created_at", "-pk")
        .values_list(*_LOG_FIELDS)[:LOG_LIMIT]
    )
    labels = {pk: str(topic) for pk, topic in topics.items()}
    entries = []
    for pk, created_at, author, topic, outcome, target, language, interpreter, *name in rows:
        entry = LogEntry(
            pk=pk,
            created_at=created_at,
            created_by_id=author,
            topic=labels[topic],
            outcome=outcome,
            referral_target=target or "",
            language=language,
            interpreter_needed=interpreter,
            author_initials=_initials(*name),
        )
        # The rule is the model's; it reads only the author and the time, which the
        # entry has under the same names.
        entry.correctable = Question.can_be_corrected_by(entry, user, now)
        entries.append(entry)
    return entries


def _render_desk(
    request,
    hub: Hub,
    form,
    *,
    q: str = "",
    warning: list[str] | None = None,
    gap_form=None,
    status: int = 200,
):
    now = timezone.now()
    results = list(article_search(q, limit=SEARCH_RESULTS)) if q else []
    topic_tree, topics = _topics()
    chosen = form["article"].value()
    if chosen and str(chosen).isdigit() and all(str(a.pk) != str(chosen) for a in results):
        # Keep the article ticked before a re-render on the list, even if the search moved.
        results = list(Article.objects.filter(pk=chosen, is_published=True)) + results
    context = {
        "hub": hub,
        "opening_label": _opening_label(hub, now),
        "form": form,
        "topic_tree": topic_tree,
        "q": q,
        "results": results,
        "warning": describe(warning) if warning else "",
        "gap_form": gap_form,
        "callback_url": _callback_url(hub, None),
        "log": _today_log(hub, request.user, now, topics),
        "correction_minutes": settings.QUESTION_CORRECTION_MINUTES,
        "other_hubs": request.user.access.desk_hub_ids() is None
        or len(request.user.access.desk_hub_ids()) > 1,
    }
    if request.htmx and request.htmx.target == "kb-results":
        return render(request, "questions/desk/_kb_results.html", context)
    return render(request, "questions/desk/desk.html", context, status=status)


def _initial_from(data) -> dict:
    """Form initial values from a query string or a post (to preselect, not to validate)."""
    fields = (
        "topic",
        "subtopic",
        "outcome",
        "referral_target",
        "note",
        "language",
        "interpreter_needed",
        "article",
    )
    return {name: data.get(name) for name in fields if data.get(name)}


# --- the desk ----------------------------------------------------------------------------


@require_safe
def desk_choose(request):
    """Straight to the desk of the hub the user works at now; else a choice."""
    _require_desk_user(request)
    hubs = list(_desk_hubs(request.user))
    if "kies" not in request.GET:
        if len(hubs) == 1:
            return redirect("questions:desk", hubs[0].slug)
        shift_hub = _shift_hub(request.user, {hub.pk for hub in hubs})
        if shift_hub is not None:
            return redirect("questions:desk", shift_hub.slug)
    return render(request, "questions/desk/choose.html", {"hubs": hubs})


def _shift_hub(user, allowed_ids: set[int]) -> Hub | None:
    """The hub of the user's confirmed shift going on now, else of the next one today,
    else of one earlier today."""
    from scheduling.models import SignUp

    now = timezone.now()
    signups = (
        SignUp.objects.confirmed()
        .filter(
            user=user,
            date=timezone.localdate(now),
            shift__is_cancelled=False,
            shift__hub_id__in=allowed_ids,
        )
        .select_related("shift__hub")
        .order_by("shift__starts_at")
    )
    shifts = [signup.shift for signup in signups]
    for shift in shifts:
        if shift.starts_at <= now < shift.ends_at:
            return shift.hub
    for shift in shifts:
        if shift.starts_at > now:
            return shift.hub
    return shifts[-1].hub if shifts else None


@require_http_methods(["GET", "HEAD", "POST"])
def desk(request, slug):
    hub = _desk_hub(request, slug)
    if request.method != "POST":
        form = DeskForm(hub=hub, initial=_initial_from(request.GET))
        return _render_desk(request, hub, form, q=request.GET.get("q", "").strip())
    form = DeskForm(request.POST, hub=hub)
    q = request.POST.get("q", "").strip()
    if not form.is_valid():
        return _render_desk(request, hub, form, q=q)
    data = form.cleaned_data
    if data["outcome"] == Outcome.CALLBACK:
        # The callback form (views/callbacks.py) logs the question with the request.
        return redirect(_callback_url(hub, form.chosen_topic, data["language"]))
    warning = form.personal_data_found()
    if warning:
        return _render_desk(request, hub, form, q=q, warning=warning)
    services.question_log(
        hub=hub,
        user=request.user,
        topic=form.chosen_topic,
        outcome=data["outcome"],
        referral_target=data["referral_target"],
        note=data["note"].strip(),
        language=data["language"],
        interpreter_needed=data["interpreter_needed"],
        article=data["article"],
    )
    messages.success(request, _("Question saved"))
    return redirect("questions:desk", hub.slug)


@require_POST
def desk_repeat(request, slug):
    """ "Zelfde nog eens": the same question as this user's last one here today."""
    hub = _desk_hub(request, slug)
    last = (
        Question.objects.filter(hub=hub, created_by=request.user, date=timezone.localdate())
        .select_related("topic", "referral_target")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        messages.warning(
            request,
            _("You have not logged a question at this hub today, so there is nothing to repeat."),
        )
        return redirect("questions:desk", hub.slug)
    if last.outcome == Outcome.CALLBACK:
        messages.info(
            request,
            _(
                "Your last question was a callback request; a new one needs "
                "the resident's details, so here is the callback form."
            ),
        )
        return redirect(_callback_url(hub, last.topic, last.language))
    question = services.question_log(
        hub=hub,
        user=request.user,
        topic=last.topic,
        outcome=last.outcome,
        referral_target=last.referral_target,
        language=last.language,
        interpreter_needed=last.interpreter_needed,
    )
    messages.success(
        request,
        _("Question saved again: %(topic)s, %(outcome)s.")
        % {"topic": question.topic, "outcome": question.get_outcome_display()},
    )
    return redirect("questions:desk", hub.slug)


@require_POST
def gap_create(request, slug):
    """ "Geen antwoord gevonden": a knowledge gap for the kennisbank editors."""
    hub = _desk_hub(request, slug)
    gap_form = GapForm(request.POST)
    if not gap_form.is_valid():
        form = DeskForm(hub=hub, initial=_initial_from(request.POST))
        return _render_desk(
            request, hub, form, q=request.POST.get("q", "").strip(), gap_form=gap_form
        )
    topic = gap_form.chosen_topic
    KnowledgeGap.objects.create(
        hub=hub,
        topic=topic,
        search_terms=gap_form.cleaned_data["q"].strip(),
        note=gap_form.cleaned_data["note"].strip(),
        created_by=request.user,
    )
    messages.success(
        request,
        _(
            "Recorded: the kennisbank had no answer. The editors will "
            "see it. Now log the question itself."
        ),
    )
    preselect = {**_split_topic(topic)}
    if request.POST.get("outcome") in Outcome.values:
        preselect["outcome"] = request.POST["outcome"]
    url = reverse("questions:desk", args=[hub.slug])
    return redirect(f"{url}?{urlencode(preselect)}" if preselect else url)


@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, pk):
    """Its author corrects a desk entry for QUESTION_CORRECTION_MINUTES."""
    question = get_object_or_404(
        Question.objects.select_related("hub", "topic__parent", "referral_target"), pk=pk
    )
    hub = question.hub
    if not request.user.access.can_use_desk(hub):
        raise PermissionDenied
    if not question.can_be_corrected_by(request.user):
        return _correction_refused(request, question)
    is_callback = question.outcome == Outcome.CALLBACK
    outcomes = [Outcome.CALLBACK] if is_callback else [Outcome.ANSWERED, Outcome.REFERRED]
    if request.method != "POST":
        initial = {
            **_split_topic(question.topic),
            "outcome": question.outcome,
            "referral_target": question.referral_target_id,
            "note": question.note,
            "language": question.language,
            "interpreter_needed": question.interpreter_needed,
        }
        form = QuestionForm(hub=hub, outcomes=outcomes, initial=initial)
        return _render_edit(request, question, form)
    form = QuestionForm(request.POST, hub=hub, outcomes=outcomes)
    if not form.is_valid():
        return _render_edit(request, question, form)
    warning = form.personal_data_found()
    if warning:
        return _render_edit(request, question, form, warning=warning)
    data = form.cleaned_data
    try:
        services.question_correct(
            question=question,
            user=request.user,
            topic=form.chosen_topic,
            outcome=data["outcome"],
            referral_target=data["referral_target"],
            note=data["note"].strip(),
            language=data["language"],
            interpreter_needed=data["interpreter_needed"],
        )
    except CallbackError as error:
        if error.code == "window":
            return _correction_refused(request, question)
        form.add_error(None, error.message)
        return _render_edit(request, question, form)
    messages.success(request, _("Correction saved"))
    return redirect("questions:desk", hub.slug)


def _render_edit(request, question, form, warning=None):
    context = {
        "question": question,
        "hub": question.hub,
        "form": form,
        "topic_tree": _topic_tree(),
        "warning": describe(warning) if warning else "",
        "callback_url": _callback_url(question.hub, None),
        "deadline": question.created_at
        + dt.timedelta(minutes=settings.QUESTION_CORRECTION_MINUTES),
    }
    return render(request, "questions/desk/question_edit.html", context)


def _correction_refused(request, question):
    context = {
        "question": question,
        "hub": question.hub,
        "own": question.created_by_id == request.user.pk,
        "minutes": settings.QUESTION_CORRECTION_MINUTES,
    }
    return render(request, "questions/desk/correction_refused.html", context, status=403)


# --- the question list -------------------------------------------------------------------


def _cursor(question: Question) -> str:
    stamp = question.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{stamp},{question.pk}"


def _parse_cursor(value: str) -> tuple[dt.datetime, int] | None:
    try:
        stamp, pk = value.split(",", 1)
        moment = dt.datetime.fromisoformat(stamp)
        if timezone.is_naive(moment):
            return None
        # In UTC here: a forged 0001-01-01T00:00+14:00 cannot be, and SQLite's adapter
        # would fail on it with a server error.
        return moment.astimezone(dt.UTC), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass(slots=True)
class ListRow:
    """One row of the question list, in plain values (see ``LogEntry``); drawn by
    questions/templatetags/desk_rows.py."""

    pk: int
    created_at: dt.datetime
    hub: str  # the hub's name
    dagdeel: str
    topic: str
    outcome: str
    referral_target: str  # the destination's name, or ""
    language: str
    interpreter_needed: bool
    note: str
    author_initials: str


# What a row of the question list shows (its hub and topic come from the filter's lists).
_LIST_FIELDS = (
    "pk",
    "created_at",
    "hub_id",
    "dagdeel",
    "topic_id",
    "outcome",
    "referral_target__name",
    "language",
    "interpreter_needed",
    "note",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__email",
)


def _list_row(row, hub_names: dict[int, str], topic_labels: dict[int, str]) -> ListRow:
    """A ``ListRow`` from a question's ``_LIST_FIELDS`` (a named ``values_list`` row)."""
    return ListRow(
        pk=row.pk,
        created_at=row.created_at,
        hub=hub_names[row.hub_id],
        dagdeel=row.dagdeel,
        topic=topic_labels[row.topic_id],
        outcome=row.outcome,
        referral_target=row.referral_target__name or "",
        language=row.language,
        interpreter_needed=row.interpreter_needed,
        note=row.note,
        author_initials=_initials(
            row.created_by__first_name, row.created_by__last_name, row.created_by__email
        ),
    )


def _day_start(day: dt.date, next_day: bool = False) -> dt.datetime | None:
    """Midnight at the start of ``day`` (or of the day after it) in Amsterdam, or None for
    a day at the edge of the calendar. A question's ``date`` is the local date of its ``created_at``
    (services.log_question), so a date filter is also a ``created_at`` bound: with it the
    list is read off the ``question_recent`` index from the right place. With ``date``
    alone, "up to March" walked the index back from today through every later question.
    """
    if not dt.date(1, 1, 2) <= day <= dt.date(9999, 12, 30):
        return None  # its UTC time could fall outside what a datetime holds
    if next_day:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@require_safe
def question_list(request):
    """Newest first, 50 at a time. Keyset pagination: "Oudere vragen" carries the
    last row's (created_at, id), so no page costs a COUNT or an OFFSET over the table."""
    access = request.user.access
    if not access.can_view_question_list():
        raise PermissionDenied
    # The filter's choices, and what the rows show of their hub and topic: the rows'
    # hubs are among these (the same access rule), so they need no join of their own.
    hubs = list(Hub.objects.related_to(request.user).only("name", "slug").order_by("name"))
    # A main topic before its subtopics: main topics sort on their own name. Labels as
    # ``str(topic)`` ("Wonen › Huurtoeslag"), from plain rows: some ninety topics with
    # their main topics as model instances were a noticeable share of the page's time.
    topics = Topic.objects.order_by("parent__position", "parent__name", "position", "name")
    topic_labels = {
        pk: f"{main} › {name}" if main is not None else name
        for pk, name, main in topics.values_list("pk", "name", "parent__name")
    }
    form = QuestionFilterForm(request.GET or None, hubs=hubs, topics=topic_labels)
    filters = form.valid_filters() if request.GET else {}
    questions = Question.objects.visible_to(request.user)
    if "hub" in filters:
        questions = questions.filter(hub=filters["hub"])
    if "date_from" in filters:
        questions = questions.filter(date__gte=filters["date_from"])
        if start := _day_start(filters["date_from"]):
            questions = questions.filter(created_at__gte=start)
    if "date_to" in filters:
        questions = questions.filter(date__lte=filters["date_to"])
        if end := _day_start(filters["date_to"], next_day=True):
            questions = questions.filter(created_at__lt=end)
    if "topic" in filters:
        topic = filters["topic"]
        questions = questions.filter(Q(topic=topic) | Q(topic__parent=topic))
    if "outcome" in filters:
        questions = questions.filter(outcome=filters["outcome"])
    cursor_problem = ""
    if request.GET.get("voor"):
        cursor = _parse_cursor(request.GET["voor"])
        if cursor is None:
            cursor_problem = _(
                "That link to older questions is not valid; the newest questions are shown."
            )
        else:
            moment, pk = cursor
            questions = questions.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    hub_names = {hub.pk: hub.name for hub in hubs}
    found = questions.order_by("-created_at", "-pk").values_list(*_LIST_FIELDS, named=True)
    rows = [_list_row(row, hub_names, topic_labels) for row in found[: PAGE_SIZE + 1]]
    older_url = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        params = request.GET.copy()
        params["voor"] = _cursor(rows[-1])
        older_url = f"?{params.urlencode()}"
    newest_params = request.GET.copy()
    newest_params.pop("voor", None)
    context = {
        "form": form,
        "rows": rows,
        "older_url": older_url,
        "newest_url": f"?{newest_params.urlencode()}" if request.GET.get("voor") else "",
        "cursor_problem": cursor_problem,
        "page_size": PAGE_SIZE,
    }
    return render(request, "questions/desk/question_list.html", context)


# --- topics ----------------------------------------------------------------------------------


def _require_topic_manager(request) -> None:
    if not request.user.access.can_manage_topics():
        raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
def topics(request):
    _require_topic_manager(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = form.save()
        messages.success(request, _("Topic %(name)s was added.") % {"name": topic})
        return redirect("questions:topics")
    subtopics: dict[int, list[Topic]] = defaultdict(list)
    mains = []
    for topic in Topic.objects.order_by("position", "name"):
        (subtopics[topic.parent_id] if topic.parent_id else mains).append(topic)
    tree = [(main, subtopics[main.pk]) for main in mains]
    return render(request, "questions/desk/topics.html", {"form": form, "tree": tree})


@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit(request, pk):
    _require_topic_manager(request)
    topic = get_object_or_404(Topic.objects.select_related("parent"), pk=pk)
    if request.method == "POST" and "delete" in request.POST:
        name = str(topic)
        try:
            topic.delete()
        except ProtectedError:
            messages.error(
                request,
                _(
                    "%(name)s has questions or subtopics, so it cannot be "
                    "deleted: untick “active” instead and the desk no longer "
                    "shows it."
                )
                % {"name": name},
            )
            return redirect("questions:topic_edit", topic.pk)
        messages.success(request, _("Topic %(name)s was deleted.") % {"name": name})
        return redirect("questions:topics")
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        topic = form.save()
        messages.success(request, _("Topic %(name)s was saved.") % {"name": topic})
        return redirect("questions:topics")
    stored = Topic.objects.select_related("parent").get(pk=topic.pk) if form.is_bound else topic
    return render(request, "questions/desk/topic_edit.html", {"form": form, "topic": stored})


# --- referral destinations -------------------------------------------------------------------


def _require_referral_manager(request) -> None:
    if not request.user.access.can_manage_referrals():
        raise PermissionDenied


def _may_edit_referral(access, target: ReferralTarget) -> bool:
    """Coordinators edit every destination; a wijkmanager one that is only for their
    hubs (its hubs prefetched)."""
    if access.is_coordinator:
        return True
    hub_ids = {hub.pk for hub in target.hubs.all()}
    return not target.all_hubs and bool(hub_ids) and hub_ids <= access.managed_hub_ids


@require_http_methods(["GET", "HEAD", "POST"])
def referrals(request):
    _require_referral_manager(request)
    access = request.user.access
    form = ReferralTargetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.save()
        messages.success(request, _("Destination %(name)s was added.") % {"name": target})
        return redirect("questions:referrals")
    targets = ReferralTarget.objects.prefetch_related("hubs").order_by("name")
    if not access.is_coordinator:
        targets = targets.filter(Q(all_hubs=True) | Q(hubs__in=access.managed_hub_ids)).distinct()
    rows = [{"target": t, "editable": _may_edit_referral(access, t)} for t in targets]
    return render(request, "questions/desk/referrals.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
def referral_edit(request, pk):
    _require_referral_manager(request)
    target = get_object_or_404(ReferralTarget.objects.prefetch_related("hubs"), pk=pk)
    if not _may_edit_referral(request.user.access, target):
        raise PermissionDenied
    form = ReferralTargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.save()
        messages.success(request, _("Destination %(name)s was saved.") % {"name": target})
        return redirect("questions:referrals")
    stored = ReferralTarget.objects.get(pk=target.pk) if form.is_bound else target
    return render(request, "questions/desk/referral_edit.html", {"form": form, "target": stored})
