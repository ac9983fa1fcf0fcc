"""Every e-mail the portal sends goes through :func:`send_templated_email`.

An e-mail is three templates in ``templates/emails/``: ``<name>_subject.txt``,
``<name>_body.txt`` and ``<name>_body.html``. They are written with English
source strings and rendered in the recipient's language (Dutch by default).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_templated_email(name: str, context: dict, *, language: str | None = None):
    """Returns ``(subject, text_body, html_body)`` rendered in ``language``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text_body = render_to_string(f"emails/{name}_body.txt", context)
        html_body = render_to_string(f"emails/{name}_body.html", context)
    # A header must be one line; templates end with a newline.
    subject = " ".join(subject.split())
    return subject, text_body, html_body


def send_templated_email(
    name: str,
    to: str | Iterable[str],
    context: dict,
    *,
    language: str | None = None,
    reply_to: Iterable[str] | None = None,
) -> None:
    """Renders the ``name`` templates with ``context`` and sends them to ``to``.

    ``language`` is the recipient's language; without it ``settings.LANGUAGE_CODE``.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject, text_body, html_body = render_templated_email(name, context, language=language)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html_body, "text/html")
    message.send()
