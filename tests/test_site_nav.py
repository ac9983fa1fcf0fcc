"""The top bar written in Python ({% site_nav %}, hubs/templatetags/site_nav.py) is the
markup base.html wrote as a template: for residents and staff, in both languages, with
the CSRF token and the page to return to filled in per request, and escaped."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The markup base.html had before the top bar moved into Python.
OLD = Template(
    """{% load i18n %}{% get_current_language as LANGUAGE_CODE %}    <nav class="navbar navbar-expand navbar-dark bg-brand" aria-label="{% translate 'Main menu' %}">
      <div class="container flex-wrap">
        <a class="navbar-brand" href="{% url 'home' %}">{% translate "Wijkhubs Rotterdam" %}</a>
        <div class="d-flex flex-wrap flex-grow-1 justify-content-between" id="main-nav">
          <ul class="navbar-nav flex-wrap me-auto">
            <li class="nav-item"><a class="nav-link" href="{% url 'public:hub_list' %}">{% translate "All wijkhubs" %}</a></li>
            {% if user.is_authenticated %}
              <li class="nav-item"><a class="nav-link" href="{% url 'home' %}">{% translate "Staff portal" %}</a></li>
            {% endif %}
          </ul>
          <ul class="navbar-nav flex-wrap">
            {% if user.is_authenticated %}
              <li class="nav-item"><a class="nav-link" href="{% url 'mfa_index' %}" title="{% translate 'Two-factor authentication' %}">{{ user }}</a></li>
              <li class="nav-item">
                <form method="post" action="{% url 'account_logout' %}">{% csrf_token %}
                  <button type="submit" class="btn btn-link nav-link">{% translate "Log out" %}</button>
                </form>
              </li>
            {% else %}
              <li class="nav-item"><a class="nav-link" href="{% url 'account_login' %}">{% translate "Staff login" %}</a></li>
            {% endif %}
            <li class="nav-item">
              <form method="post" action="{% url 'set_language' %}" class="d-flex language-switch">
                {% csrf_token %}
                <input name="next" type="hidden" value="{{ request.get_full_path }}">
                {% get_available_languages as LANGUAGES %}
                {% for code, name in LANGUAGES %}
                  {% if code != LANGUAGE_CODE %}
                    <button type="submit" name="language" value="{{ code }}" class="btn btn-link nav-link" lang="{{ code }}">
                      {% if code == "nl" %}Nederlands{% else %}English{% endif %}
                    </button>
                  {% endif %}
                {% endfor %}
              </form>
            </li>
          </ul>
        </div>
      </div>
    </nav>
"""  # noqa: E501
)
NEW = Template("{% load site_nav %}{% site_nav %}")


def _squash(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def _render(template, user, path, token="tok3n"):
    request = RequestFactory().get(path)
    request.user = user
    context = Context({"request": request, "user": user, "csrf_token": token})
    return template.render(context)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize("path", ["/wijkhubs/", "/vragen/?q=<script>&hub=a%22b"])
def test_the_top_bar_is_the_markup_base_html_had(language, logged_in, path):
    from django.contrib.auth.models import AnonymousUser

    user = (
        UserFactory(first_name="Bibi", last_name="van 't <Hout>") if logged_in else AnonymousUser()
    )
    with translation.override(language):
        old = _render(OLD, user, path)
        new = _render(NEW, user, path)
    assert _squash(new) == _squash(old)
    assert "<script>" not in new
    assert "tok3n" in new


def test_without_a_token_there_is_no_token_field():
    from django.contrib.auth.models import AnonymousUser

    html = _render(NEW, AnonymousUser(), "/", token="NOTPROVIDED")
    assert "csrfmiddlewaretoken" not in html


def test_a_visitor_cannot_fill_in_a_stand_in():
    user = UserFactory(first_name="Ann", last_name="Smit")
    html = _render(NEW, user, "/?x=%00user%00\x00user\x00")
    assert html.count("Ann Smit") == 1
