"""The kennisbank: the 14010 knowledge the desk answers with (/kennisbank/).

Everyone who works at a desk or signs up for dagdelen may search and read;
coordinators and KCC medewerkers (``access.can_edit_kennisbank``) write the
articles and work through the knowledge gaps the desks record.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hubs.models import Hub

from ..forms_kennisbank import ArticleForm, GapResolveForm, SearchForm
from ..models import Article, KnowledgeGap, Topic
from ..search import add_headlines, article_search, snippet

RESULTS_SHOWN = 20
POPULAR_DAYS = 90
LIST_SHOWN = 10
REVIEW_AFTER_DAYS = 365
GAPS_PER_PAGE = 25
RESOLVED_GAPS_SHOWN = 20
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# --- access ----------------------------------------------------------------------------------


def _require_reader(request) -> None:
    if not request.user.access.can_use_kennisbank():
        raise PermissionDenied


def _require_editor(request) -> None:
    if not request.user.access.can_edit_kennisbank():
        raise PermissionDenied


def _desk_hub(request) -> Hub | None:
    """The hub of ``?hub=<slug>`` when the user came from that hub's desk, else None.

    Quietly None for a slug that is malformed, unknown or not the user's desk: the
    page works without it, it only loses the "back to the desk" and gap buttons.
    """
    slug = request.GET.get("hub", "")
    if not slug or len(slug) > 80 or not slug.replace("-", "").replace("_", "").isalnum():
        return None
    hub = Hub.objects.filter(slug=slug).first()
    if hub is None or not request.user.access.can_use_desk(hub):
        return None
    return hub


def _review_cutoff() -> dt.date:
    """Articles last reviewed before this day are marked "controleren"."""
    return timezone.localdate() - dt.timedelta(days=REVIEW_AFTER_DAYS)


def _with_topics(articles):
    return articles.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.select_related("parent"))
    )


class TopicRow(NamedTuple):
    """What the search page needs of a topic; ``label`` is ``str(topic)``. Plain rows:
    some ninety Topic instances were a noticeable share of the page's time."""

    pk: int
    name: str
    parent_id: int | None
    is_active: bool
    label: str


def _all_topics() -> dict[int, TopicRow]:
    """Every topic by id, in their order (position, name): one query."""
    rows = list(Topic.objects.values_list("pk", "name", "parent_id", "is_active"))
    names = {pk: name for pk, name, _parent, _active in rows}
    return {
        pk: TopicRow(pk, name, parent, active, f"{names[parent]} › {name}" if parent else name)
        for pk, name, parent, active in rows
    }


def _name_topics(articles: list[Article], topics: dict[int, TopicRow]) -> None:
    """Sets ``topic_names`` on each article: its topics' names, in the topics' order.

    One query on the link table, for the articles of a list at once. The topics come
    from ``topics`` (``_all_topics``), so this makes no topic objects of its own: a
    prefetch of ``topics`` made some forty, and a related manager per article."""
    order = {pk: number for number, pk in enumerate(topics)}
    linked: dict[int, list[int]] = {article.pk: [] for article in articles}
    links = Article.topics.through.objects.filter(article_id__in=list(linked))
    for article_id, topic_id in links.values_list("article_id", "topic_id"):
        linked[article_id].append(topic_id)
    for article in articles:
        ids = sorted(linked[article.pk], key=order.__getitem__)
        article.topic_names = [topics[pk].label for pk in ids]


def _about_topics(articles, topic_ids: list[int]):
    """Articles with one of the topics; EXISTS rather than a join, so no duplicates."""
    links = Article.topics.through.objects.filter(article_id=OuterRef("pk"), topic_id__in=topic_ids)
    return articles.filter(Exists(links))


# --- search ----------------------------------------------------------------------------------


@require_safe
def search(request):
    _require_reader(request)
    access = request.user.access
    editor = access.can_edit_kennisbank()
    all_topics = _all_topics()
    form = SearchForm(
        request.GET or None, topics=[topic for topic in all_topics.values() if topic.is_active]
    )
    query = ""
    if form.is_bound:
        # A forged topic makes the form invalid, but the query still counts.
        form.is_valid()
        query = form.cleaned_data.get("q", "")
    topic_ids = form.topic_ids()
    hub = _desk_hub(request)

    results = None
    popular = recent = to_review = []
    if query:
        found = article_search(query, limit=None, include_unpublished=editor)
        if topic_ids:
            found = _about_topics(found, topic_ids)
        found = list(found[:RESULTS_SHOWN])
        add_headlines(found, query)
        _name_topics(found, all_topics)
        results = [(article, snippet(article, query)) for article in found]
    else:
        listed = Article.objects.all() if editor else Article.objects.filter(is_published=True)
        if topic_ids:
            listed = _about_topics(listed, topic_ids)
        since = timezone.localdate() - dt.timedelta(days=POPULAR_DAYS)
        popular = list(
            listed.annotate(uses=Count("questions", filter=Q(questions__date__gte=since)))
            .filter(uses__gt=0)
            .order_by("-uses", "title")[:LIST_SHOWN]
        )
        recent = list(listed.order_by("-last_reviewed", "title")[:LIST_SHOWN])
        if editor:
            to_review = list(
                listed.filter(last_reviewed__lt=_review_cutoff()).order_by(
                    "last_reviewed", "title"
                )[:LIST_SHOWN]
            )
        # One query for the topics of all three lists.
        _name_topics([*popular, *recent, *to_review], all_topics)

    context = {
        "form": form,
        "query": query,
        "results": results,
        "popular": popular,
        "recent": recent,
        "to_review": to_review,
        "popular_days": POPULAR_DAYS,
        "review_cutoff": _review_cutoff(),
        "can_edit": editor,
        "hub": hub,
        "hub_query": urlencode({"hub": hub.slug}) if hub else "",
    }
    return render(request, "questions/kennisbank/search.html", context)


# --- articles --------------------------------------------------------------------------------


@require_safe
def article_detail(request, pk):
    _require_reader(request)
    editor = request.user.access.can_edit_kennisbank()
    articles = Article.objects.select_related("updated_by")
    if not editor:
        articles = articles.filter(is_published=True)
    article = get_object_or_404(_with_topics(articles), pk=pk)
    hub = _desk_hub(request)
    context = {
        "article": article,
        "can_edit": editor,
        "review_cutoff": _review_cutoff(),
        "hub": hub,
        "hub_query": urlencode({"hub": hub.slug}) if hub else "",
    }
    return render(request, "questions/kennisbank/article_detail.html", context)


def _open_gap(request) -> KnowledgeGap | None:
    """The open gap of ``?hiaat=<id>``: an article written from the gap list answers it."""
    value = request.GET.get("hiaat", "")
    if not value.isdigit() or len(value) > 12:
        return None
    return (
        KnowledgeGap.objects.select_related("hub", "topic")
        .filter(pk=int(value), resolved_at__isnull=True)
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def article_create(request):
    _require_editor(request)
    gap = _open_gap(request)
    initial = {}
    if gap is not None:
        initial = {"title": gap.search_terms[:1].upper() + gap.search_terms[1:]}
        if gap.topic_id:
            initial["topics"] = [gap.topic_id]
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        article = form.save(commit=False)
        article.updated_by = request.user
        article.save()
        form.save_m2m()
        messages.success(request, _("The article %(title)s was saved.") % {"title": article.title})
        if gap is not None and _resolve_gap(gap, article):
            messages.success(request, _("The knowledge gap it answers is marked resolved."))
        return redirect(article)
    return render(
        request,
        "questions/kennisbank/article_form.html",
        {"form": form, "article": None, "gap": gap},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request, pk):
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    form = ArticleForm(request.POST if request.method == "POST" else None, instance=article)
    if request.method == "POST" and form.is_valid():
        article = form.save(commit=False)
        article.updated_by = request.user
        article.save()
        form.save_m2m()
        messages.success(request, _("The article %(title)s was saved.") % {"title": article.title})
        return redirect(article)
    # Headings and links show the stored article while the form holds what was typed.
    stored = Article.objects.get(pk=article.pk) if form.is_bound else article
    return render(
        request,
        "questions/kennisbank/article_form.html",
        {"form": form, "article": stored, "gap": None},
    )


# --- knowledge gaps --------------------------------------------------------------------------


def _resolve_gap(gap: KnowledgeGap, article: Article | None) -> bool:
    """Marks ``gap`` resolved unless someone already did; True if this call did it."""
    # A conditional update, so two editors resolving at once cannot overwrite each other.
    return bool(
        KnowledgeGap.objects.filter(pk=gap.pk, resolved_at__isnull=True).update(
            resolved_article=article, resolved_at=timezone.now()
        )
    )


def _cursor(gap: KnowledgeGap) -> str:
    """The "older" link's position: the gap's moment in microseconds and its id."""
    return f"{(gap.created_at - EPOCH) // dt.timedelta(microseconds=1)}-{gap.pk}"


def _parse_cursor(value: str) -> tuple[dt.datetime, int] | None:
    moment, _sep, pk = value.partition("-")
    if not (moment.isdigit() and pk.isdigit() and len(moment) <= 18 and len(pk) <= 12):
        return None
    try:
        return EPOCH + dt.timedelta(microseconds=int(moment)), int(pk)
    except OverflowError:
        return None


def _gap_to_resolve(value: str) -> KnowledgeGap | None:
    """The open gap of ``?oplossen=<id>``: the list then shows its resolve form."""
    if not value.isdigit() or len(value) > 12:
        return None
    return (
        KnowledgeGap.objects.select_related("hub", "topic__parent", "created_by")
        .filter(pk=int(value), resolved_at__isnull=True)
        .first()
    )


def _resolve_form(gap: KnowledgeGap, data=None) -> tuple[GapResolveForm, list[Article]]:
    """The form to resolve ``gap``, with the articles matching its search terms first."""
    suggestions = list(
        article_search(gap.search_terms or gap.note, limit=5, include_unpublished=True)
    )
    initial = {"article": suggestions[0].pk} if suggestions else {}
    form = GapResolveForm(data, initial=initial)
    form.helper.form_action = reverse("questions:gap_resolve", args=[gap.pk])
    return form, suggestions


def _gap_list_page(request, resolving=None, form=None, suggestions=()):
    gaps = KnowledgeGap.objects.select_related("hub", "topic__parent", "created_by")
    open_gaps = gaps.filter(resolved_at__isnull=True).order_by("-created_at", "-pk")
    position = _parse_cursor(request.GET.get("ouder", ""))
    if position:
        moment, pk = position
        open_gaps = open_gaps.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    # One row more than shown tells whether there is an older page, without a COUNT.
    page = list(open_gaps[: GAPS_PER_PAGE + 1])
    older = _cursor(page[GAPS_PER_PAGE - 1]) if len(page) > GAPS_PER_PAGE else ""
    resolved = []
    if not position:
        resolved = list(
            gaps.filter(resolved_at__isnull=False)
            .select_related("resolved_article")
            .order_by("-resolved_at", "-pk")[:RESOLVED_GAPS_SHOWN]
        )
    context = {
        "gaps": page[:GAPS_PER_PAGE],
        "older": older,
        "is_first_page": not position,
        "resolved": resolved,
        "resolving": resolving,
        "form": form,
        "suggestions": suggestions,
        "write_url": (
            reverse("questions:article_create") + "?" + urlencode({"hiaat": resolving.pk})
            if resolving
            else ""
        ),
    }
    return render(request, "questions/kennisbank/gap_list.html", context)


@require_safe
def gap_list(request):
    """The open gaps, newest first, and the recently resolved ones. With
    ``?oplossen=<id>`` it also shows the form to choose the article that answers one."""
    _require_editor(request)
    resolving = _gap_to_resolve(request.GET.get("oplossen", ""))
    if resolving is None:
        return _gap_list_page(request)
    form, suggestions = _resolve_form(resolving)
    return _gap_list_page(request, resolving, form, suggestions)


@require_POST
def gap_resolve(request, pk):
    """Marks a gap resolved: with the chosen article, or without one (the list's
    quick button posts no article)."""
    _require_editor(request)
    gap = get_object_or_404(
        KnowledgeGap.objects.select_related("hub", "topic__parent", "created_by"), pk=pk
    )
    if gap.resolved_at is not None:
        messages.info(request, _("This knowledge gap was already resolved."))
        return redirect("questions:gap_list")
    form, suggestions = _resolve_form(gap, request.POST)
    if form.is_valid():
        if _resolve_gap(gap, form.cleaned_data["article"]):
            messages.success(request, _("The knowledge gap is marked resolved."))
        else:
            messages.info(request, _("This knowledge gap was already resolved."))
        return redirect("questions:gap_list")
    return _gap_list_page(request, gap, form, suggestions)
