"""The portal's main menu, declared once: who sees which item, and which pages
belong under it (for ``aria-current``)."""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    allowed: str  # the Access method that decides whether the user sees it
    # View names (or "namespace:" prefixes) of the pages that belong under this item.
    pages: tuple[str, ...]


MENU = (
    Item(_("My overview"), "home", "is_staff_member", ("home",)),
    Item(
        _("Desk"),
        "questions:desk_choose",
        "can_use_desk",
        (
            "questions:desk",
            "questions:desk_repeat",
            "questions:question_edit",
            "questions:callback_create",
            "questions:callback_slip",
        ),
    ),
    Item(
        _("Roster"),
        "scheduling:week",
        "can_view_roster",
        ("scheduling:week", "scheduling:handovers"),
    ),
    Item(_("My dagdelen"), "scheduling:mine", "can_sign_up", ("scheduling:mine",)),
    Item(
        _("Callbacks"),
        "questions:teams",
        "can_view_roster",
        (
            "questions:teams",
            "questions:team_queue",
            "questions:callbacks_sent",
            "questions:callback_detail",
        ),
    ),
    Item(
        _("Kennisbank"),
        "questions:kb_search",
        "can_use_kennisbank",
        ("questions:kb_search", "questions:article_", "questions:gap_"),
    ),
    Item(
        _("Coverage"),
        "scheduling:coverage",
        "can_view_coverage",
        ("scheduling:coverage", "scheduling:shift_detail"),
    ),
    Item(
        _("Questions"),
        "questions:question_list",
        "can_view_question_list",
        ("questions:question_list",),
    ),
    Item(_("Wijkraad proposals"), "proposals:list", "can_view_proposals", ("proposals:",)),
    Item(_("Reports"), "reports:index", "can_view_reports", ("reports:",)),
    Item(
        _("Management"),
        "manage:index",
        "can_manage_hubs",
        (
            "manage:",
            "users:",
            "scheduling:offers",
            "scheduling:cluster_report",
            "questions:topics",
            "questions:topic_edit",
            "questions:referrals",
            "questions:referral_edit",
            "questions:team_admin",
            "questions:team_edit",
            "questions:access_log",
            "audit:",
        ),
    ),
)


def _belongs(view_name: str, pages: tuple[str, ...]) -> bool:
    """Exact view names, or prefixes where the entry ends in ":" or "_"."""
    return any(
        view_name == page or (page.endswith((":", "_")) and view_name.startswith(page))
        for page in pages
    )


@register.simple_tag(takes_context=True)
def portal_menu(context):
    """The menu as HTML. It is on every staff page and the same for everyone with the
    same items on the same page, so it is written once per language, items and page."""
    request = context["request"]
    access = request.user.access
    match = getattr(request, "resolver_match", None)
    shown = []
    for n, item in enumerate(MENU):
        allowed = getattr(access, item.allowed)
        if allowed() if callable(allowed) else allowed:
            shown.append(n)
    return _menu_html(get_language(), tuple(shown), match.view_name if match else "")


@lru_cache(maxsize=2048)
def _menu_html(language: str, shown: tuple[int, ...], view_name: str) -> str:
    items = []
    for n in shown:
        item = MENU[n]
        current = ""
        if _belongs(view_name, item.pages):
            current = "page" if view_name == item.url_name else "true"
        items.append(
            format_html(
                '<li class="nav-item"><a class="nav-link{}"{} href="{}">{}</a></li>',
                " active" if current else "",
                format_html(' aria-current="{}"', current) if current else "",
                reverse(item.url_name),
                item.label,
            )
        )
    return format_html(
        '<ul class="nav nav-underline flex-wrap">{}</ul>',
        format_html_join("", "{}", ((i,) for i in items)),
    )
