"""``{% kb_article_items articles %}``: the articles of a kennisbank list, in Python.

A search shows twenty articles, each with a snippet whose matched words are marked,
its topics and when it was last reviewed; drawn by an included template per article
(with a ``{% for %}`` over the snippet's parts and another over the topics) they took
most of the page's time. This tag writes the same HTML with f-strings in which every
value is escaped (``_e``), as the template engine escapes ``{{ value }}``.
questions/tests/test_desk_rows.py compares the output with the old template's.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from .desk_rows import _e, _Memo

register = template.Library()

# Labels translated inside f-strings, where makemessages cannot see the gettext()
# call: marked here, so that they stay in the catalogue.
_IN_F_STRINGS = (
    gettext_noop("not published"),
    gettext_noop("Topics:"),
    gettext_noop("check"),
)

# A stand-in id: an article's link is reversed once per list and the id put in after.
_PK = 2_147_483_647


@register.simple_tag(takes_context=True)
def kb_article_items(
    context, articles, *, snippets: bool = False, uses: bool = False
) -> SafeString:
    """One ``<li>`` per article: title (linked, carrying ``hub_query``), a snippet,
    its topics (``article.topic_names``, see questions/views/kennisbank.py), last
    reviewed (with a "check" badge before ``review_cutoff``).

    ``snippets``: ``articles`` holds ``(article, parts)`` pairs, ``parts`` from
    questions.search.snippet. ``uses``: show ``article.uses`` ("used 3 times")."""
    hub_query = context.get("hub_query")
    review_cutoff = context.get("review_cutoff")
    url = _e(reverse("questions:article_detail", args=[_PK]))
    query = f"?{_e(hub_query)}" if hub_query else ""
    not_published = f'<span class="badge text-bg-secondary">{_e(gettext("not published"))}</span>'
    topics_label = f'<span class="visually-hidden">{_e(gettext("Topics:"))}</span>'
    last_reviewed = _e(gettext("last reviewed"))
    check = f'<span class="badge text-bg-warning">{_e(gettext("check"))}</span>'
    months = _Memo(lambda month: _e(MONTHS[month]))
    topic_labels = _Memo(_e)
    items = []
    for item in articles:
        article, parts = item if snippets else (item, None)
        link = url.replace(str(_PK), str(int(article.pk)))
        html = [
            f'\n<li class="mb-3">\n  <h3 class="h5 mb-1">\n'
            f'    <a href="{link}{query}">{_e(article.title)}</a>\n'
            f"    {'' if article.is_published else not_published}\n  </h3>\n"
        ]
        if parts:
            marked = "".join(
                f"<mark>{_e(text)}</mark>" if is_match else _e(text) for text, is_match in parts
            )
            html.append(f'    <p class="mb-1">{marked}</p>\n')
        html.append('  <p class="small text-body-secondary mb-0">\n')
        if article.topic_names:
            names = ", ".join(topic_labels[name] for name in article.topic_names)
            html.append(f"      {topics_label}\n      {names} ·\n")
        day = article.last_reviewed
        # ``|date:"j F Y"``: "1 november 2025".
        html.append(f"    {last_reviewed} {day.day} {months[day.month]} {day.year:04}\n")
        if review_cutoff is not None and article.last_reviewed < review_cutoff:
            html.append(f"    {check}\n")
        count = article.uses if uses else 0
        if count:
            used = ngettext("used %(counter)s time", "used %(counter)s times", count)
            html.append(f"     · {used % {'counter': _e(localize(count))}}\n")
        html.append("  </p>\n</li>\n")
        items.append("".join(html))
    return mark_safe("".join(items))  # noqa: S308 - every text escaped above
