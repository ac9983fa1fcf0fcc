"""Finding the forms of the portal and sending them hostile submissions.

``crawl`` opens pages as one user and returns every form on them (and every link
with a query string, a GET form in disguise), each resolved to the URL name it is
sent to. ``send`` submits one ``Submission`` inside a savepoint that is rolled back
afterwards, so every example starts from the same database and session, and returns
what went wrong:

1. a server error or an exception escaping the view, also on the pages the answer
   redirects to;
2. a script payload that reaches an HTML page unescaped (the answer, the pages it
   redirects to and, after a successful post, the page the form was on);
3. on a validation error, a typed value that is not in the form shown again.
"""

from __future__ import annotations

import copy
import dataclasses
import traceback
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.db import connection, transaction
from django.urls import Resolver404, resolve

from . import html as page_html
from .html import Field, HtmlForm
from .values import UNESCAPED, Submission

REDIRECTS = (301, 302, 303, 307, 308)
# What was done, for the summary a test prints: submissions sent, validation errors
# whose typed values were compared, answers that redirected (usually: saved).
STATS: Counter[str] = Counter()
ERROR_SIGNALS = ("is-invalid", "alert-danger", "errorlist", "invalid-feedback")


@dataclasses.dataclass
class Found:
    """A form (or a link with a query string) as one user found it."""

    role: str
    page: str  # the address of the page it is on
    target: str  # the URL name it is sent to
    url: str  # the address it is sent to (path, and for a post its query)
    form: HtmlForm
    is_link: bool = False

    @property
    def method(self) -> str:
        return self.form.method

    def key(self) -> tuple:
        fields = tuple(sorted({(f.name, f.kind) for f in self.form.fields}))
        return (self.method, self.target, fields, self.is_link)

    def describe(self) -> str:
        kind = "link" if self.is_link else self.method.upper()
        names = ", ".join(sorted({f.name for f in self.form.fields} - {"csrfmiddlewaretoken"}))
        return f"{kind} {self.target} ({self.url}, on {self.page}) as {self.role}: [{names}]"


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(response.charset or "utf-8", errors="replace")


def crawl(client, role: str, urls: list[str]) -> tuple[list[Found], list[str]]:
    """The forms and query links on ``urls`` as the logged-in ``client`` sees them.
    Returns them with the pages that answered with HTML (redirects followed)."""
    found: list[Found] = []
    pages: list[str] = []
    for start in urls:
        response = client.get(start, follow=True)
        if response.status_code != 200 or not is_html(response):
            continue
        page = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            page += "?" + response.request["QUERY_STRING"]
        pages.append(page)
        parsed = page_html.parse(text_of(response))
        for form in parsed.forms:
            for variant in form.variants():
                action = variant.action
                if action is None:
                    action = page if variant.method == "post" else urlsplit(page).path
                url = urljoin(page, action)
                if variant.method == "get":
                    url = urlsplit(url).path
                target = url_name(url)
                if target is not None:
                    found.append(Found(role, page, target, url, variant))
        for href in parsed.links:
            split = urlsplit(urljoin(page, href))
            if not split.query or split.netloc not in ("", "testserver"):
                continue
            target = url_name(split.path)
            if target is None:
                continue
            fields = [
                Field(kind="text", name=name, value=value)
                for name, value in parse_qsl(split.query, keep_blank_values=True)
            ]
            form = HtmlForm(method="get", action=split.path, enctype="", attrs={}, fields=fields)
            found.append(Found(role, page, target, split.path, form, is_link=True))
    return found, pages


def unescaped(response) -> str | None:
    """The first payload fragment that reached an HTML page raw, if any."""
    if not is_html(response):
        return None
    match = UNESCAPED.search(text_of(response))
    if match is None:
        return None
    text = text_of(response)
    return text[max(0, match.start() - 80) : match.end() + 40]


def _same(typed: str, shown: str) -> bool:
    """Equal as a browser would see them: HTML turns CR LF and CR into LF."""

    def norm(value: str) -> str:
        return value.replace("\r\n", "\n").replace("\r", "\n")

    return norm(typed) == norm(shown)


def _matching_forms(page: page_html.Page, found: Found, page_url: str) -> list[HtmlForm]:
    forms = []
    for form in page.forms:
        for variant in form.variants():
            action = variant.action if variant.action is not None else page_url
            if variant.method == found.method and url_name(urljoin(page_url, action)) == (
                found.target
            ):
                forms.append(variant)
    return forms


def _typed_values(form: HtmlForm) -> dict[str, str]:
    shown: dict[str, str] = {}
    for field in form.fields:
        if field.is_typed:
            shown.setdefault(field.name, field.value)
    return shown


def lost_input(response, page_url: str, found: Found, submission: Submission) -> list[str]:
    """On a page that shows a validation error, the typed values missing from the form."""
    if not is_html(response) or submission.tampered or found.is_link:
        return []
    typed = {name: value for name, value in submission.typed.items() if value.strip()}
    if not typed:
        return []
    text = text_of(response)
    if not any(signal in text for signal in ERROR_SIGNALS):
        return []
    page = page_html.parse(text)
    candidates = _matching_forms(page, found, page_url)
    if not candidates:
        return [f"the page with the error no longer shows the form; lost: {sorted(typed)}"]
    shown = max((_typed_values(form) for form in candidates), key=lambda s: len(s.keys() & typed))
    STATS["typed values compared after an error"] += len(typed)
    problems = []
    for name, value in typed.items():
        if name not in shown:
            problems.append(f"{name!r} is not in the form shown again")
        elif not _same(value, shown[name]):
            problems.append(f"{name!r} typed {value[:60]!r} but shown {shown[name][:60]!r}")
    return problems


def _request(client, found: Found, submission: Submission):
    headers = {}
    if submission.htmx:
        headers = {
            "HX-Request": "true",
            "HX-Target": found.form.htmx_target or "",
            "HX-Current-URL": f"http://testserver{found.page}",
        }
    if found.method == "get":
        query = urlencode(submission.pairs)
        return client.get(f"{found.url}?{query}" if query else found.url, headers=headers)
    data = submission.as_data()
    has_files = any(not isinstance(value, str) for _name, value in submission.pairs)
    if found.form.is_multipart or has_files:
        return client.post(found.url, data, headers=headers)
    return client.post(
        found.url,
        urlencode(submission.pairs),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def send(client, found: Found, submission: Submission, capture_on_commit) -> list[str]:
    """Submits, follows redirects, checks; everything rolled back. Returns the problems."""
    problems: list[str] = []
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                problems = _send_and_check(client, found, submission, capture_on_commit)
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return problems


def _send_and_check(client, found: Found, submission: Submission, capture_on_commit) -> list:
    problems: list[str] = []
    try:
        with capture_on_commit(execute=True):
            response = _request(client, found, submission)
    except OverflowError as exc:
        if connection.vendor == "sqlite" and "SQLite INTEGER" in str(exc):
            # Django's ``__in`` lookup passes a forged id beyond 2**63 to SQLite, which
            # cannot hold it (ModelMultipleChoiceField). PostgreSQL, which production
            # runs, answers "no such row"; counted, not failed.
            STATS["sqlite integer overflow (forged id)"] += 1
            return []
        return [f"exception: {''.join(traceback.format_exception(exc))[-3000:]}"]
    except Exception as exc:  # an exception escaping the view is what we look for
        return [f"exception: {''.join(traceback.format_exception(exc))[-3000:]}"]
    STATS["submissions"] += 1
    STATS[f"answered {response.status_code}"] += 1
    chain = [(found.url, response)]
    while response.status_code in REDIRECTS and len(chain) < 6:
        location = response["Location"]
        split = urlsplit(location)
        if split.netloc not in ("", "testserver") or location.startswith("//"):
            problems.append(f"redirects to another site: {location[:200]}")
            break
        if submission.htmx:
            break
        try:
            response = client.get(location)
        except Exception as exc:
            return [
                f"exception on the redirect to {location[:200]}: "
                f"{''.join(traceback.format_exception(exc))[-3000:]}"
            ]
        chain.append((location, response))
    for url, answer in chain:
        if answer.status_code >= 500:
            problems.append(f"{url[:200]} answered {answer.status_code}")
        raw = unescaped(answer)
        if raw:
            problems.append(f"unescaped payload on {url[:200]}: …{raw}…")
    final_url, final = chain[-1]
    problems += lost_input(final, final_url, found, submission)
    stored = found.method == "post" and final.status_code < 400
    shown_already = urlsplit(final_url).path == urlsplit(found.page).path
    if stored and not shown_already and any("alert(" in v for v in submission.text_values()):
        # Where a stored value shows: the page the form was on.
        try:
            page = client.get(found.page)
        except Exception as exc:
            return [f"exception on {found.page}: {exc!r}"]
        raw = unescaped(page)
        if page.status_code >= 500:
            problems.append(f"{found.page} answered {page.status_code} after the post")
        if raw:
            problems.append(f"unescaped payload on {found.page}: …{raw}…")
    return problems
