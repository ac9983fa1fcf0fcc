"""The portal's main menu, declared once: who sees which item, and which pages
belong under it (for ``aria-current``)."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
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


@register.inclusion_tag("_portal_menu.html", takes_context=True)
def portal_menu(context):
    request = context["request"]
    access = request.user.access
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    items = []
    for item in MENU:
        allowed = getattr(access, item.allowed)
        if not (allowed() if callable(allowed) else allowed):
            continue
        url = reverse(item.url_name)
        current = ""
        if _belongs(view_name, item.pages):
            current = "page" if view_name == item.url_name else "true"
        items.append({"label": item.label, "url": url, "current": current})
    return {"items": items}
