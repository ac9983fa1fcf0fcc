"""The site's top bar (brand, "All wijkhubs", login or name and logout, language switch),
written in Python: it is on every page, residents' pages included, and as template
markup its links, translations and two forms were a millisecond of every request.

The parts that are the same for everyone with the same language and login state are
built once (``_fixed``); per request only the name, the CSRF token and the page to
return to after switching language are filled in. tests/test_site_nav.py compares the
result with the markup base.html used to have.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

# Where the per-request parts go in the fixed markup: never in a translation or URL.
_USER = "\x00user\x00"
_CSRF = "\x00csrf\x00"
_NEXT = "\x00next\x00"

_LANGUAGE_NAMES = {"nl": "Nederlands"}  # anything else is called "English", as before


@lru_cache(maxsize=16)
def _fixed(language: str, logged_in: bool) -> str:
    home = reverse("home")
    hubs = reverse("public:hub_list")
    left = [
        format_html(
            '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
            hubs,
            _("All wijkhubs"),
        )
    ]
    if logged_in:
        left.append(
            format_html(
                '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
                home,
                _("Staff portal"),
            )
        )
        account = format_html(
            '<li class="nav-item"><a class="nav-link" href="{}" title="{}">{}</a></li>'
            '<li class="nav-item"><form method="post" action="{}">{}'
            '<button type="submit" class="btn btn-link nav-link">{}</button></form></li>',
            reverse("mfa_index"),
            _("Two-factor authentication"),
            mark_safe(_USER),  # noqa: S308 - a stand-in, replaced by the escaped name
            reverse("account_logout"),
            mark_safe(_CSRF),  # noqa: S308 - a stand-in
            _("Log out"),
        )
    else:
        account = format_html(
            '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
            reverse("account_login"),
            _("Staff login"),
        )
    switches = "".join(
        format_html(
            '<button type="submit" name="language" value="{}" class="btn btn-link nav-link" '
            'lang="{}">{}</button>',
            code,
            code,
            _LANGUAGE_NAMES.get(code, "English"),
        )
        for code, _name in settings.LANGUAGES
        if code != language
    )
    return format_html(
        '<nav class="navbar navbar-expand navbar-dark bg-brand" aria-label="{}">'
        '<div class="container flex-wrap">'
        '<a class="navbar-brand" href="{}">{}</a>'
        '<div class="d-flex flex-wrap flex-grow-1 justify-content-between" id="main-nav">'
        '<ul class="navbar-nav flex-wrap me-auto">{}</ul>'
        '<ul class="navbar-nav flex-wrap">{}'
        '<li class="nav-item"><form method="post" action="{}" class="d-flex language-switch">'
        '{}<input name="next" type="hidden" value="{}">{}</form></li>'
        "</ul></div></div></nav>",
        _("Main menu"),
        home,
        _("Wijkhubs Rotterdam"),
        mark_safe("".join(left)),  # noqa: S308 - built with format_html above
        account,
        reverse("set_language"),
        mark_safe(_CSRF),  # noqa: S308 - a stand-in
        mark_safe(_NEXT),  # noqa: S308 - a stand-in
        mark_safe(switches),  # noqa: S308 - built with format_html above
    )


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    request = context["request"]
    user = context.get("user")
    logged_in = bool(user and user.is_authenticated)
    html = _fixed(get_language(), logged_in)
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    # The token first, the path (which the visitor chooses) last, so that nothing put in
    # can be taken for a stand-in.
    html = html.replace(_CSRF, csrf)
    if logged_in:
        html = html.replace(_USER, format_html("{}", user))
    html = html.replace(_NEXT, format_html("{}", request.get_full_path()))
    return mark_safe(html)  # noqa: S308 - every part escaped above
