"""Does a desk note look like it holds personal data?

A question at the desk is anonymous; its note is for the topic ("brief van de
Belastingdienst over toeslag"), not for who asked. This detector catches the usual
slips — a phone number, an e-mail address, a BSN, an IBAN, a postcode with a house
number — so the desk can warn and point to the callback form, the one place
residents' details may be kept (with consent, and purged later).

It is a warning, not a wall: it errs towards catching real numbers, while dates,
times, amounts, the city's 14010 and callback references do not set it off.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

PHONE, EMAIL, BSN, IBAN, ADDRESS = "phone", "email", "bsn", "iban", "address"

LABELS = {
    PHONE: _("a phone number"),
    EMAIL: _("an e-mail address"),
    BSN: _("a BSN (citizen service number)"),
    IBAN: _("a bank account number (IBAN)"),
    ADDRESS: _("a postcode and house number"),
}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
IBAN_RE = re.compile(
    r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)
# Dates (12-05-2024, 1/2/24, 2024-05-12) and times (10:30, 10.30 uur) break a run
# of digits apart first, so "op 05-06-2025 10 uur" is not read as 0506202510.
DATE_RE = re.compile(
    r"(?<![-/.\d])(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})"
    r"(?![-/.]?\d)"
)
TIME_RE = re.compile(r"(?<![-/.:\d])\d{1,2}[:.]\d{2}(?![-/.:]?\d)")
# A run of digits with the separators people type in phone numbers.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s\-.()]{0,3}\d){8,12}(?!\w)")
# 9 digits, alone or written 1234.56.789 / 123 456 789.
BSN_RE = re.compile(r"(?<![\w.+-])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\w-])")
# A Dutch postcode (no leading 0, not SA/SD/SS) next to a house number, either order.
POSTCODE = r"[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}"
ADDRESS_RE = re.compile(
    rf"\b{POSTCODE}\b\s*,?\s*\d{{1,5}}\s?[a-z]?\b|\b\d{{1,5}}\s?[a-z]?\s*,?\s+{POSTCODE}\b"
)


def is_phone_number(digits: str, international: bool) -> bool:
    """``digits``: only the digits of a candidate; ``international``: it began with
    + or 00 (so the digits start with the country code)."""
    if international:
        if not digits.startswith("31"):
            return 8 <= len(digits) - 2 <= 12  # someone abroad: a number all the same
        rest = digits[2:]
        if rest.startswith("0"):  # +31 (0)6 ...
            rest = rest[1:]
        return len(rest) == 9 and rest[0] != "0"
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def passes_elfproef(digits: str) -> bool:
    """The BSN check: 9 digits, weights 9..2 and -1 for the last, sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def is_iban(candidate: str) -> bool:
    """ISO 13616 check: move the country and check digits to the end, mod 97 == 1."""
    iban = re.sub(r"\s", "", candidate).upper()
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _mask(text: str, match: re.Match) -> str:
    """Blank out a match (keeping positions) so later patterns do not see it again."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def looks_like_personal_data(text: str) -> list[str]:
    """The kinds of personal data ``text`` seems to hold, in a fixed order
    (PHONE, EMAIL, BSN, IBAN, ADDRESS); an empty list when it looks clean."""
    found: set[str] = set()
    text = text or ""
    for match in EMAIL_RE.finditer(text):
        found.add(EMAIL)
        text = _mask(text, match)
    for match in IBAN_RE.finditer(text):
        if is_iban(match.group()):
            found.add(IBAN)
            text = _mask(text, match)
    for pattern in (DATE_RE, TIME_RE):
        for match in pattern.finditer(text):
            text = _mask(text, match)
    for match in PHONE_RE.finditer(text):
        candidate = match.group()
        digits = re.sub(r"\D", "", candidate)
        international = candidate.startswith(("+", "00"))
        if candidate.startswith("00"):
            digits = digits[2:]
        if is_phone_number(digits, international):
            found.add(PHONE)
            text = _mask(text, match)
    for match in BSN_RE.finditer(text):
        if passes_elfproef(re.sub(r"\D", "", match.group())):
            found.add(BSN)
    if ADDRESS_RE.search(text):
        found.add(ADDRESS)
    return [kind for kind in (PHONE, EMAIL, BSN, IBAN, ADDRESS) if kind in found]


def describe(kinds: list[str]) -> str:
    """E.g. "a phone number, an e-mail address" for the warning on the desk."""
    return ", ".join(str(LABELS[kind]) for kind in kinds)
