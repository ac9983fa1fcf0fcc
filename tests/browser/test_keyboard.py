"""Keyboard only: a host logs a question at the desk, a medewerker signs up for a
dagdeel in the week grid and cancels. No mouse: Tab, Shift+Tab, the arrow keys,
Space and Enter (and typing), with ``page.goto`` for the address bar.

After every key the focused element must show a visible focus indicator (as
tests/browser/focus.py reads it: an outline or ring of 2px or more at 3:1 against its
surroundings), which the same element does not have when it is not focused (computed
styles compared). The browser is asked for reduced motion, which turns off Bootstrap's
0.15 s transitions and smooth scrolling, so the styles read are the ones the focus ends
up with.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hubs.constants import Dagdeel
from questions.constants import Outcome
from questions.demo import seed_topics
from questions.models import Question, Topic
from scheduling.models import SignUp
from scheduling.services import shifts_sync
from tests.browser import focus as focus_ring
from tests.factories import PASSWORD, hub_with_schedule, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS)  # a Monday morning
TABLET = (1024, 768)

# What the user sees of the focused element. Marks it with data-kb-step so that its
# style can be looked at again once the focus has moved on.
FOCUS_JS = """
(step) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  el.setAttribute("data-kb-step", String(step));
  if (el.matches("input") && !el.matches(":focus")) {
    // Chromium's date and time fields end with a calendar button inside the browser's
    // own shadow tree: it has the focus, the field does not match :focus, and its style
    // cannot be read. Chromium draws a dark ring around it (checked by screenshot).
    return { step, tag: "input", id: el.id, name: el.name, type: el.type, value: el.value,
             checked: false, text: "(calendar button)", inView: true, browserPart: true,
             visible: true, rings: [], style: "" };
  }
  const shown = el.matches(".btn-check") && el.labels.length ? el.labels[0] : el;
  const rect = shown.getBoundingClientRect();
  return {
    step,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    value: el.value === undefined ? "" : String(el.value),
    checked: !!el.checked,
    text: (shown.innerText || shown.getAttribute("aria-label") || "").trim().slice(0, 80),
    inView: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight
      && rect.right > 0 && rect.left < innerWidth,
    ...window.__focusRing(shown),
  };
}
"""

UNFOCUSED_JS = """
(step) => {
  const el = document.querySelector(`[data-kb-step="${step}"]`);
  if (!el || el === document.activeElement) return null;
  const shown = el.matches(".btn-check") && el.labels.length ? el.labels[0] : el;
  return window.__focusRing(shown);
}
"""


class Keyboard:
    """Presses keys on ``page`` and checks the focus after each one."""

    def __init__(self, page):
        self.page = page
        self.steps: list[dict] = []
        self.problems: list[str] = []

    def focus(self) -> dict | None:
        """The focused element, not yet checked."""
        focus_ring.install(self.page)
        return self.page.evaluate(FOCUS_JS, len(self.steps))

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.check(f"after {key}")

    def check(self, when: str) -> dict | None:
        """Checks the focused element now, and the previous one now that it has lost the
        focus."""
        focus_ring.install(self.page)
        previous = self.steps[-1] if self.steps else None
        if previous and not previous.get("browserPart"):
            unfocused = self.page.evaluate(UNFOCUSED_JS, previous["step"])
            if unfocused is not None and unfocused["style"] == previous["style"]:
                self.problems.append(
                    f"{_name(previous)}: looks the same focused and unfocused ({previous['style']})"
                )
        now = self.focus()
        if now is None:
            self.problems.append(f"{when} nothing has the focus (on {self.page.url})")
            return None
        self.steps.append(now)
        if not now["visible"]:
            self.problems.append(f"{_name(now)}: no visible focus indicator {now['rings']}")
        if not now["inView"]:
            self.problems.append(f"{_name(now)}: focused but outside the screen")
        return now

    def tab_until(self, wanted, limit: int = 80) -> dict:
        for _ in range(limit):
            now = self.press("Tab")
            if now and wanted(now):
                return now
        raise AssertionError(
            f"Tab x{limit} never reached it; last: {[_name(s) for s in self.steps[-5:]]}"
        )

    def arrow_until(self, wanted, key: str = "ArrowRight", limit: int = 30) -> dict:
        now = self.focus()
        for _ in range(limit):
            if now and wanted(now):
                return now
            now = self.press(key)
        raise AssertionError(f"{key} x{limit} never reached it; last: {_name(now)}")

    def assert_focus_always_visible(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def _name(step: dict | None) -> str:
    if step is None:
        return "nothing"
    return f"<{step['tag']} id={step['id']!r} name={step['name']!r}> {step['text']!r}"


def _log_in(page, keys: Keyboard, user) -> None:
    """Through the header to the login form, typing and Enter."""
    page.goto("/accounts/login/")
    keys.tab_until(lambda f: f["name"] == "login")
    page.keyboard.type(user.email)
    keys.press("Tab")
    assert keys.steps[-1]["name"] == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.travel(NOW, tick=True)
def test_host_logs_a_question_with_the_keyboard_only(new_page, host, hub):
    seed_topics()
    huur = Topic.objects.get(name="Huur en huurtoeslag")
    page = new_page(*TABLET, reduced_motion="reduce")
    keys = Keyboard(page)
    _log_in(page, keys, host)
    page.goto(f"/balie/{hub.slug}/")

    # The skip link first, then into the form.
    skip = keys.press("Tab")
    assert skip["text"] == "Naar de inhoud", _name(skip)
    page.keyboard.press("Enter")
    keys.tab_until(lambda f: f["name"] == "topic")
    keys.arrow_until(lambda f: f["text"] == "Wonen")
    keys.press("Space")
    assert keys.focus()["checked"]
    # The subtopics of Wonen appear; the arrow keys move through them only.
    keys.press("Tab")
    assert keys.steps[-1]["name"] == "subtopic"
    keys.arrow_until(lambda f: f["text"] == "Overlast buren")
    keys.tab_until(lambda f: f["name"] == "outcome")
    keys.arrow_until(lambda f: f["value"] == Outcome.REFERRED)
    # Back (Shift+Tab) to correct the subtopic, then on again.
    keys.press("Shift+Tab")
    assert keys.steps[-1]["name"] == "subtopic" and keys.steps[-1]["checked"]
    keys.arrow_until(lambda f: f["text"] == huur.name, key="ArrowLeft")
    keys.press("Tab")
    assert keys.steps[-1]["value"] == Outcome.REFERRED and keys.steps[-1]["checked"]
    # The referral list has appeared: pick the first destination with the arrow keys.
    keys.press("Tab")
    assert keys.steps[-1]["name"] == "referral_target", _name(keys.steps[-1])
    chosen = keys.arrow_until(lambda f: f["value"] != "", key="ArrowDown")
    referral_id = int(chosen["value"])
    keys.tab_until(lambda f: f["name"] == "save")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    question = Question.objects.get(hub=hub)
    assert question.topic == huur
    assert question.outcome == Outcome.REFERRED
    assert question.referral_target_id == referral_id
    assert question.created_by == host
    assert "Huur en huurtoeslag" in page.locator("table.desk-log").inner_text()
    keys.assert_focus_always_visible()


def _wait_until_settled(page) -> None:
    """htmx wires the content it swapped in when it settles, 20 ms after the swap: a key
    pressed before that reaches the plain form, which submits without htmx (and the page
    reloads). A person is not that quick; the test can be."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling,"
        " .htmx-added')"
    )


@pytest.mark.travel(NOW, tick=True)
def test_medewerker_signs_up_and_cancels_with_the_keyboard_only(new_page):
    hub = hub_with_schedule([(1, Dagdeel.MIDDAG)], name="Bloemhof", min_staff=1, max_staff=3)
    shifts_sync(last=NOW.date() + dt.timedelta(days=13))
    tuesday = hub.shifts.get(date=dt.date(2026, 12, 1))  # next week: no cancellation cut-off
    fatima = staff_member(email="fatima@example.org", first_name="Fatima")
    page = new_page(reduced_motion="reduce")
    keys = Keyboard(page)
    _log_in(page, keys, fatima)
    page.goto("/rooster/?week=2026-12-01")

    cell = f"#shift-{tuesday.pk}"
    in_cell = f"() => !!document.activeElement.closest('{cell}')"
    button = keys.tab_until(lambda f: f["tag"] == "button" and page.evaluate(in_cell))
    assert button["text"].startswith("Aanmelden"), _name(button)
    page.keyboard.press("Enter")
    page.locator(cell).get_by_text("je bent aangemeld", exact=True).wait_for()
    _wait_until_settled(page)
    assert SignUp.objects.confirmed().filter(shift=tuesday, user=fatima).exists()
    # htmx replaced the cell; the focus stays on its button, which now cancels.
    after = keys.check("after the swap")
    assert after is not None and page.evaluate(in_cell), f"focus lost: {_name(after)}"
    assert after["text"].startswith("Annuleren"), _name(after)

    page.keyboard.press("Space")
    page.locator(f"{cell} [role=status]").get_by_text("Je bent afgemeld").wait_for()
    assert not SignUp.objects.confirmed().filter(shift=tuesday, user=fatima).exists()
    again = keys.check("after the second swap")
    assert again is not None and again["text"].startswith("Aanmelden"), _name(again)
    keys.assert_focus_always_visible()
