"""The desk on a tablet, in Chromium: landscape 1024×768 and portrait 768×1024.

A host logs a question with three taps and Save; every tap target is at least
44 px high; nothing scrolls sideways; with JavaScript only the chosen topic's
subtopics show, without it all of them do and the desk still works; the keyboard
reaches and picks the choices.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from questions.constants import Outcome
from questions.demo import seed_topics
from questions.models import Question, ReferralTarget, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
TABLETS = [(1024, 768), (768, 1024)]


@pytest.fixture
def desk(hub):
    seed_topics()
    return f"/balie/{hub.slug}/"


def _tap_targets_ok(page):
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.desk-form label.desk-choice, .desk-form .btn, .desk-form select, .desk-form textarea,'
        + ' .desk-form input[type=search], .desk-form input[type=checkbox]')]
      .filter(el => el.offsetParent !== null)
      .map(el => [el.id || el.htmlFor || el.textContent.trim(), el.getBoundingClientRect()])
      .filter(([, box]) => box.height < 44)
      .map(([name, box]) => name + ' ' + Math.round(box.height))""")
    return small


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
@pytest.mark.parametrize(("width", "height"), TABLETS)
def test_host_logs_a_question_in_three_taps(new_page, login, host, desk, width, height):
    page = new_page(width, height)
    login(page, host)
    page.goto(desk)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Checkboxes are 28 px, drawn inside a 48 px row whose label is tappable too.
    small = [t for t in _tap_targets_ok(page) if not t.startswith("id_interpreter_needed")]
    assert small == []

    wonen = Topic.objects.get(name="Wonen")
    huur = Topic.objects.get(name="Huur en huurtoeslag")
    schulden = Topic.objects.get(name="Schulden")
    # With JavaScript the subtopics appear for the main topic tapped.
    assert not page.locator(f"label[for=subtopic-{huur.pk}]").is_visible()
    page.locator(f"label[for=topic-{wonen.pk}]").click()
    assert page.locator(f"label[for=subtopic-{huur.pk}]").is_visible()
    assert not page.locator(f"label[for=subtopic-{schulden.pk}]").is_visible()
    assert not page.locator("#referral-block").is_visible()
    page.locator("label[for=outcome-answered]").click()
    with page.expect_navigation():
        page.locator("button[name=save]").click()

    question = Question.objects.get()
    assert (question.topic, question.outcome, question.created_by) == (
        wonen,
        Outcome.ANSWERED,
        host,
    )
    assert page.locator(".alert-success").is_visible()
    assert page.locator("input[name=topic]:checked").count() == 0
    assert page.locator("table.desk-log tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_the_desk_works_without_javascript(new_page, login, host, desk):
    page = new_page(768, 1024, java_script_enabled=False)
    login(page, host)
    page.goto(desk)
    schulden = Topic.objects.get(name="Schulden")
    vraagwijzer = ReferralTarget.objects.get(name="Vraagwijzer")
    # Every subtopic and the destination list are there from the start.
    assert page.locator(f"label[for=subtopic-{schulden.pk}]").is_visible()
    assert page.locator("#referral-block").is_visible()
    page.locator(f"label[for=topic-{schulden.parent_id}]").click()
    page.locator(f"label[for=subtopic-{schulden.pk}]").click()
    page.locator("label[for=outcome-referred]").click()
    page.locator("#id_referral_target").select_option(str(vraagwijzer.pk))
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    question = Question.objects.get()
    assert (question.topic, question.referral_target) == (schulden, vraagwijzer)


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_keyboard_picks_topic_and_outcome(new_page, login, host, desk):
    page = new_page(1024, 768)
    login(page, host)
    page.goto(desk)
    first_topic = Topic.objects.main().order_by("position").first()
    page.locator(f"#topic-{first_topic.pk}").focus()
    page.keyboard.press("Space")
    assert page.locator(f"#topic-{first_topic.pk}").is_checked()
    # The focus ring is visible on the button-shaped label.
    outline = page.evaluate(
        f"getComputedStyle(document.querySelector('label[for=topic-{first_topic.pk}]'))"
        ".outlineStyle"
    )
    assert outline != "none"
    page.locator("#outcome-answered").focus()
    page.keyboard.press("Space")
    page.locator("button[name=save]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Question.objects.get().topic == first_topic


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_kennisbank_search_keeps_what_was_tapped(new_page, login, host, desk):
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Huurtoeslag aanvragen", body="Via Mijn toeslagen.")
    wonen = Topic.objects.get(name="Wonen")
    page = new_page(1024, 768)
    login(page, host)
    page.goto(desk)
    page.locator(f"label[for=topic-{wonen.pk}]").click()
    page.locator("label[for=outcome-answered]").click()
    page.locator("#kb-q").fill("huurtoeslag")
    page.locator("#kb-q").press("Enter")
    page.locator(f"label[for=article-{article.pk}]").wait_for()
    # htmx swapped only the results: the taps are still there.
    assert page.locator(f"#topic-{wonen.pk}").is_checked()
    assert page.locator("#outcome-answered").is_checked()
    page.locator(f"label[for=article-{article.pk}]").click()
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    question = Question.objects.get()
    assert (question.topic, question.article) == (wonen, article)
