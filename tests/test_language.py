"""Dutch by default, English when chosen with the language switch."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_even_when_the_browser_prefers_english(client):
    html = client.get(reverse("public:hub_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in html.content.decode()
    assert "Inloggen voor medewerkers" in html.content.decode()


def test_the_language_switch_chooses_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/wijkhubs/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("public:hub_list")).content.decode()
    assert '<html lang="en">' in html
    assert "Staff login" in html
    client.post(reverse("set_language"), {"language": "nl", "next": "/wijkhubs/"})
    assert '<html lang="nl">' in client.get(reverse("public:hub_list")).content.decode()


# gettext("...") with a literal, in any of the project's Python files.
_LITERAL_GETTEXT = re.compile(
    r"""\b(?:gettext|gettext_lazy|gettext_noop|_)\(\s*(?P<q>['"])(?P<msgid>(?:(?!(?P=q)).)+)(?P=q)\s*\)"""
)


def test_every_string_python_translates_is_in_the_dutch_catalogue():
    """makemessages cannot see a gettext() call inside an f-string and drops its string
    from the catalogue (the page then shows English); such labels are marked with
    gettext_noop as well. This finds any that are not."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("nl")._catalog
    root = Path(settings.BASE_DIR)
    missing = []
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "var", "node_modules"} or "tests" in relative.parts:
            continue
        if "migrations" in relative.parts:
            continue
        for match in _LITERAL_GETTEXT.finditer(path.read_text(encoding="utf-8")):
            msgid = ast.literal_eval(match["q"] + match["msgid"] + match["q"])
            if msgid not in catalogue:
                missing.append(f"{relative}: {msgid}")
    assert missing == []
