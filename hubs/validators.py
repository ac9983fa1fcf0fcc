import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
PHONE_RE = re.compile(r"^(\+31|0031|0)[1-9][0-9]{8}$")


def normalise_postcode(value: str) -> str:
    """'3072an' -> '3072 AN'; raises ValidationError for anything else."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        raise ValidationError(_("Enter a Dutch postcode such as 3072 AN."), code="invalid_postcode")
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def normalise_phone(value: str) -> str:
    """Dutch phone numbers in any common notation -> '0101234567' (or '14010')."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits == "14010":
        return digits
    if not PHONE_RE.match(digits):
        raise ValidationError(
            _("Enter a Dutch phone number of 10 digits, such as 010 123 45 67."),
            code="invalid_phone",
        )
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits


def validate_phone(value: str) -> None:
    normalise_phone(value)
